using Stamen.Optimization.Nsga2;

namespace Stamen.Tests.Optimization;

public class ConstrainedDominationTests
{
    private static Evaluation E(double f1, double f2, double violation = 0) => new([f1, f2], violation);

    [Fact]
    public void Dominates_FeasibleVersusInfeasible_FeasibleWinsWhateverTheObjectives()
    {
        Assert.True(ConstrainedDomination.Dominates(E(9, 9), E(0, 0, 0.1)));
        Assert.False(ConstrainedDomination.Dominates(E(0, 0, 0.1), E(9, 9)));
    }

    [Fact]
    public void Dominates_BothInfeasible_SmallerViolationWinsWhateverTheObjectives()
    {
        Assert.True(ConstrainedDomination.Dominates(E(9, 9, 1), E(0, 0, 2)));
        Assert.False(ConstrainedDomination.Dominates(E(0, 0, 2), E(9, 9, 1)));
    }

    [Fact]
    public void Dominates_BothInfeasibleWithEqualViolation_Neither()
    {
        Assert.False(ConstrainedDomination.Dominates(E(0, 0, 1), E(9, 9, 1)));
        Assert.False(ConstrainedDomination.Dominates(E(9, 9, 1), E(0, 0, 1)));
    }

    [Theory]
    [InlineData(1, 1, 2, 2, true)]
    [InlineData(1, 2, 1, 3, true)]
    [InlineData(1, 1, 1, 1, false)]
    [InlineData(1, 3, 2, 2, false)]
    [InlineData(2, 2, 1, 1, false)]
    public void Dominates_BothFeasible_IsParetoDomination(double a1, double a2, double b1, double b2, bool expected)
    {
        Assert.Equal(expected, ConstrainedDomination.Dominates(E(a1, a2), E(b1, b2)));
        Assert.Equal(expected, ConstrainedDomination.ParetoDominates(E(a1, a2), E(b1, b2)));
    }

    [Fact]
    public void Evaluation_NegativeViolationOrNaN_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => E(0, 0, -1));
        Assert.Throws<ArgumentException>(() => E(double.NaN, 0));
    }
}
