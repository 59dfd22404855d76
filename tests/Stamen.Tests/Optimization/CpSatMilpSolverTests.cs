using Stamen.Optimization.Milp;

namespace Stamen.Tests.Optimization;

/// <summary>CP-SAT's translation to integers: exact scaling, conservative rounding and what results say about it.</summary>
public sealed class CpSatMilpSolverTests
{
    private static readonly MilpOptions Exact = new();
    private readonly CpSatMilpSolver _solver = new();

    [Fact]
    public void Solve_DecimalCoefficients_ScaledExactlyAndOptimal()
    {
        // 0.25x + 1.5y <= 3.75 (x4: x + 6y <= 15), objective 0.5x + 0.75y (x4: 2x + 3y): nothing is rounded.
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 10);
        var y = model.AddInteger("y", 0, 10);
        model.AddConstraint("row", [0.25 * x, 1.5 * y], ConstraintSense.LessOrEqual, 3.75);
        model.AddConstraint("floor", [1.1 * x, -0.7 * y], ConstraintSense.GreaterOrEqual, -2.2);
        model.Maximize([0.5 * x, 0.75 * y], constant: 0.125);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(MilpTestModels.BruteForce(model)!.Value, result.ObjectiveValue, 9);
        Assert.Equal(result.ObjectiveValue, result.BestBound, 9);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void Solve_RowNeedingRounding_FeasiblePointValidBoundNotOptimal()
    {
        // max x + y st x/3 + y/7 <= 2: the optimum y = 14 sits on the row, which rounding cuts off.
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 20);
        var y = model.AddInteger("y", 0, 20);
        model.AddConstraint("thirds", [(1.0 / 3) * x, (1.0 / 7) * y], ConstraintSense.LessOrEqual, 2);
        model.Maximize([1 * x, 1 * y]);
        double truth = MilpTestModels.BruteForce(model)!.Value;

        var result = _solver.Solve(model, Exact);

        Assert.Equal(14, truth);
        Assert.True(result.HasSolution, $"{result.Status}");
        Assert.True(model.MaxViolation(result.Values) <= 1e-9, "a rounded row only loses points");
        Assert.True(result.BestBound >= truth - 1e-9, $"bound {result.BestBound} tighter than the optimum {truth}");
        Assert.Equal(result.ObjectiveValue >= result.BestBound - 1e-6 ? MilpStatus.Optimal : MilpStatus.Feasible, result.Status);
        Assert.Equal(MilpStatus.Feasible, result.Status); // here the cut-off optimum leaves a gap to the LP bound 14
        Assert.Contains(result.Notes, n => n.Contains("'thirds'", StringComparison.Ordinal) && n.Contains("LP relaxation", StringComparison.Ordinal));
    }

    [Fact]
    public void Solve_RowRoundedButOptimumMeetsLpBound_ProvenOptimal()
    {
        // min x + y st x/3 + y/7 <= 2 (not binding), x + y >= 1: the LP bound 1 proves the point.
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 20);
        var y = model.AddInteger("y", 0, 20);
        model.AddConstraint("thirds", [(1.0 / 3) * x, (1.0 / 7) * y], ConstraintSense.LessOrEqual, 2);
        model.AddConstraint("some", [1 * x, 1 * y], ConstraintSense.GreaterOrEqual, 1);
        model.Minimize([1 * x, 1 * y]);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(1, result.ObjectiveValue, 9);
        Assert.Equal(1, result.BestBound, 6);
        Assert.NotEmpty(result.Notes);
    }

    [Fact]
    public void Solve_RoundedRowsInfeasibleButRelaxationNot_NoSolutionFound()
    {
        // x/3 >= 1/3 + 1e-10 and x/3 <= 1/3 + 2e-10 for integer x in [0, 3]: x = 1 misses the first
        // row by 1e-10, inside the feasibility tolerance, so the LP relaxation is feasible; the rounded
        // rows cut x = 1 off and CP-SAT finds them infeasible, which proves nothing about the original.
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 3);
        model.AddConstraint("above", [(1.0 / 3) * x], ConstraintSense.GreaterOrEqual, 1.0 / 3 + 1e-10);
        model.AddConstraint("below", [(1.0 / 3) * x], ConstraintSense.LessOrEqual, 1.0 / 3 + 2e-10);
        model.Minimize([1 * x]);

        var result = _solver.Solve(model, Exact);

        Assert.NotEqual(MilpStatus.Infeasible, result.Status);
        Assert.NotEqual(MilpStatus.Optimal, result.Status);
    }

    [Fact]
    public void Solve_ObjectiveNeedingRounding_ReportsOriginalObjectiveAndLoosenedBound()
    {
        // min x/3 + y/7 st x + y >= 3: y = 3 gives 3/7.
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 5);
        var y = model.AddInteger("y", 0, 5);
        model.AddConstraint("some", [1 * x, 1 * y], ConstraintSense.GreaterOrEqual, 3);
        model.Minimize([(1.0 / 3) * x, (1.0 / 7) * y], constant: 1);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MilpStatus.Optimal, result.Status); // the loosening (about 2e-9) is within the proof tolerance
        Assert.Equal(1 + 3.0 / 7, result.ObjectiveValue, 12);
        Assert.True(result.BestBound <= 1 + 3.0 / 7, $"bound {result.BestBound} above the optimum");
        Assert.True(result.BestBound >= 1 + 3.0 / 7 - 1e-8, $"bound {result.BestBound} loosened too far");
        Assert.Contains(result.Notes, n => n.Contains("objective coefficients scaled by 1e9", StringComparison.Ordinal));
    }

    [Fact]
    public void Solve_ContinuousVariable_RejectedWithAdvice()
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 3);
        var flow = model.AddContinuous("flow", 0, 1);
        model.AddContinuous("slack", 0, 1);
        model.Minimize([1 * x, 1 * flow]);

        var error = Assert.Throws<StamenInputException>(() => _solver.Solve(model, Exact));

        Assert.Contains("cp-sat solves all-integer models only; variable 'flow' (and 1 more) is continuous", error.Message, StringComparison.Ordinal);
        Assert.Contains("use scip or cbc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_InfiniteBound_RejectedWithAdvice()
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, double.PositiveInfinity);
        model.Minimize([1 * x]);

        var error = Assert.Throws<StamenInputException>(() => _solver.Solve(model, Exact));

        Assert.Contains("finite bounds", error.Message, StringComparison.Ordinal);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_EqualityNeedingRounding_RejectedWithAdvice()
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 9);
        var y = model.AddInteger("y", 0, 9);
        model.AddConstraint("third", [(1.0 / 3) * x, 1 * y], ConstraintSense.Equal, 2);
        model.Minimize([1 * y]);

        var error = Assert.Throws<StamenInputException>(() => _solver.Solve(model, Exact));

        Assert.Contains("row 'third' is an equality", error.Message, StringComparison.Ordinal);
        Assert.Contains("use scip or cbc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_EqualityWithWholeCoefficientsAndFractionalSide_Infeasible()
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 9);
        model.AddConstraint("half", [2 * x], ConstraintSense.Equal, Math.PI);
        model.Minimize([1 * x]);

        Assert.Equal(MilpStatus.Infeasible, _solver.Solve(model, Exact).Status);
    }

    [Fact]
    public void Solve_IntegerBoundsWithoutInteger_Infeasible()
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0.2, 0.8);
        model.Minimize([1 * x]);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MilpStatus.Infeasible, result.Status);
        Assert.Contains(result.Notes, n => n.Contains("'x'", StringComparison.Ordinal));
    }

    [Fact]
    public void Row_WholeCoefficientsFractionalRightSide_FloorsExactly()
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 9);
        var y = model.AddInteger("y", -4, 4);
        var row = model.AddConstraint("r", [2 * x, -3 * y], ConstraintSense.GreaterOrEqual, -2.5);

        var scaled = CpSatScaling.Row(row, [new IntegerRange(0, 9), new IntegerRange(-4, 4)])!;

        // >= is negated: -2x + 3y <= 2.5, and with whole coefficients <= 2 loses no integer point.
        Assert.False(scaled.Rounded);
        Assert.Equal(0, scaled.Exponent);
        Assert.Equal([-2L, 3L], scaled.Coefficients);
        Assert.Equal(2, scaled.RightHandSide);
    }

    [Fact]
    public void Row_RedundantWithinBounds_Dropped()
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 3);
        var row = model.AddConstraint("loose", [(1.0 / 3) * x], ConstraintSense.LessOrEqual, 1);

        Assert.Null(CpSatScaling.Row(row, [new IntegerRange(0, 3)]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Row_RoundedConservatively_KeepsOnlyOriginalIntegerPoints(int seed)
    {
        // Coefficients of any sign with thirds and sevenths, variables of any sign: every integer
        // point of the rounded row meets the original, and the only points lost sit on its boundary.
        var random = new Random(seed);
        var model = new MilpModel();
        var vars = Enumerable.Range(0, 3).Select(i => model.AddInteger($"x{i}", random.Next(-4, 1), random.Next(0, 5))).ToArray();
        var terms = vars.Select(v => (random.Next(-9, 10) / (double)random.Next(3, 8)) * v).ToList();
        var row = model.AddConstraint("r", terms, random.Next(2) == 0 ? ConstraintSense.LessOrEqual : ConstraintSense.GreaterOrEqual,
            random.Next(-5, 6) / 3.0);
        var ranges = vars.Select(v => new IntegerRange((long)v.LowerBound, (long)v.UpperBound)).ToArray();

        var scaled = CpSatScaling.Row(row, ranges);

        foreach (var point in Points(ranges))
        {
            double lhs = row.Terms.Sum(t => t.Coefficient * point[t.Variable.Index]);
            bool meetsOriginal = row.Sense == ConstraintSense.LessOrEqual ? lhs <= row.RightHandSide + 1e-12 : lhs >= row.RightHandSide - 1e-12;
            bool meetsScaled = scaled is null || scaled.Variables.Select((v, i) => scaled.Coefficients[i] * (long)point[v]).Sum() <= scaled.RightHandSide;
            Assert.True(!meetsScaled || meetsOriginal, $"point ({string.Join(", ", point)}) meets the rounded row only");
            Assert.True(meetsScaled || !meetsOriginal || Math.Abs(lhs - row.RightHandSide) <= 1e-6,
                $"point ({string.Join(", ", point)}) lost though {Math.Abs(lhs - row.RightHandSide)} inside the row");
        }
    }

    private static IEnumerable<double[]> Points(IntegerRange[] ranges)
    {
        IEnumerable<double[]> points = [[]];
        foreach (var range in ranges)
        {
            points = points.SelectMany(p => Enumerable.Range((int)range.Low, (int)(range.High - range.Low + 1)).Select(x => (double[])[.. p, x]));
        }

        return points;
    }
}
