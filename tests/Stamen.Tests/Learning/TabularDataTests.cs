using Stamen.Learning;

namespace Stamen.Tests.Learning;

public class TabularDataTests
{
    private static readonly string[] Ab = ["a", "b"];

    [Fact]
    public void Constructor_CopiesRows()
    {
        double[][] rows = [[1, 2], [3, 4]];
        var data = new TabularData(Ab, rows, [5, 6]);

        rows[0][0] = 99;

        Assert.Equal(1, data.Row(0)[0]);
        Assert.Equal(2, data.Count);
        Assert.Equal(2, data.FeatureCount);
    }

    [Fact]
    public void Constructor_NonFiniteValue_NamesRowAndFeature()
    {
        var e = Assert.Throws<ArgumentException>(() => new TabularData(Ab, [[1, 2], [3, double.NaN]], [5, 6]));

        Assert.Contains("row 1, feature 'b'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadShapes_Throw()
    {
        Assert.Throws<ArgumentException>(() => new TabularData(Ab, [[1, 2]], [5, 6]));
        Assert.Throws<ArgumentException>(() => new TabularData(Ab, [[1, 2, 3]], [5]));
        Assert.Throws<ArgumentException>(() => new TabularData(Ab, [[1, 2]], [double.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => new TabularData(["a", "a"], [[1, 2]], [5]));
        Assert.Throws<ArgumentException>(() => new TabularData(["a", " "], [[1, 2]], [5]));
        Assert.Throws<ArgumentException>(() => new TabularData(Ab, [], []));
    }

    [Fact]
    public void Split_IsDisjointCompleteSeededAndKeepsOrder()
    {
        var data = new TabularData(["i"], Enumerable.Range(0, 100).Select(i => new double[] { i }).ToArray(),
            Enumerable.Range(0, 100).Select(i => (double)i).ToArray());

        var a = data.Split(0.25, seed: 3);
        var b = data.Split(0.25, seed: 3);
        var c = data.Split(0.25, seed: 4);

        Assert.Equal(25, a.Test.Count);
        Assert.Equal(75, a.Train.Count);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (double)i), a.Train.Targets.Concat(a.Test.Targets).Order());
        Assert.Equal(a.Test.Targets.Order(), a.Test.Targets);
        Assert.Equal(a.Test.Targets, b.Test.Targets);
        Assert.NotEqual(a.Test.Targets, c.Test.Targets);
        for (var i = 0; i < a.Test.Count; i++) Assert.Equal(a.Test.Targets[i], a.Test.Row(i)[0]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Split_FractionOutsideOpenUnitInterval_Throws(double fraction)
    {
        var data = new TabularData(Ab, [[1, 2], [3, 4]], [5, 6]);

        Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(fraction, 0));
    }

    [Fact]
    public void Split_TinyFraction_StillHoldsOutOneRow()
    {
        var data = new TabularData(Ab, [[1, 2], [3, 4], [5, 6]], [5, 6, 7]);

        Assert.Equal(1, data.Split(0.01, 0).Test.Count);
        Assert.Equal(1, data.Split(0.99, 0).Train.Count);
    }
}
