using Stamen.Optimization.Milp;

namespace Stamen.Tests.Optimization;

public sealed class MilpModelTests
{
    [Fact]
    public void AddConstraint_RepeatedVariable_MergesCoefficientsAndDropsZeros()
    {
        var model = new MilpModel();
        var x = model.AddBinary("x");
        var y = model.AddBinary("y");

        var row = model.AddConstraint("r", [2 * x, 1 * y, 3 * x, -1 * y], ConstraintSense.LessOrEqual, 4);

        Assert.Equal([new MilpTerm(x, 5)], row.Terms);
    }

    [Fact]
    public void AddConstraint_VariableOfAnotherModel_Throws()
    {
        var other = new MilpModel().AddBinary("x");
        var model = new MilpModel();
        model.AddBinary("x");

        Assert.Throws<ArgumentException>(() => model.AddConstraint("r", [1 * other], ConstraintSense.Equal, 1));
    }

    [Fact]
    public void AddVariable_EmptyBounds_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MilpModel().AddContinuous("x", 2, 1));
    }

    [Fact]
    public void MaxViolation_ReportsWorstOfBoundsRowsAndIntegrality()
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 4);
        var y = model.AddContinuous("y", 0, 10);
        model.AddConstraint("sum", [1 * x, 1 * y], ConstraintSense.Equal, 5);

        Assert.Equal(0, model.MaxViolation([2, 3]));
        Assert.Equal(0.5, model.MaxViolation([2.5, 2.5]), 12);
        Assert.Equal(1.0, model.MaxViolation([5, 0]), 12);
        Assert.Equal(2.0, model.MaxViolation([1, 2]), 12);
    }

    [Fact]
    public void Gap_IsRelativeDistanceOfBoundFromObjective()
    {
        var result = new MilpResult(MilpStatus.Feasible, 80, 100, [1.0], 1);

        Assert.Equal(0.25, result.Gap, 12);
        Assert.True(double.IsPositiveInfinity((result with { Status = MilpStatus.NoSolutionFound }).Gap));
    }
}
