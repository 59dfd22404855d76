using FsCheck;
using FsCheck.Fluent;
using Stamen.Reporting;
using Stamen.Simulation.Metrics;

namespace Stamen.Tests.Reporting;

public sealed class CdfSeriesTests
{
    [Fact]
    public void Of_AnyValues_NonDecreasingEndsAtOneWithinThePointBudget()
    {
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var rng = new Random(seed);
            var values = Enumerable.Range(0, rng.Next(1, 2000)).Select(_ => rng.NextDouble() * 100).ToArray();

            var cdf = Cdf.Of("x", values);

            ReportAssert.IsCdf(cdf);
            Assert.InRange(cdf.X.Count, 1, Cdf.MaxPoints);
            Assert.Equal(values.Min(), cdf.X[0]);
            Assert.Equal(values.Max(), cdf.X[^1]);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Fact]
    public void Of_NonFiniteValues_AreLeftOut()
    {
        var cdf = Cdf.Of("x", [double.NaN, 2, 1, double.PositiveInfinity]);

        Assert.Equal([1.0, 2], cdf.X);
        Assert.Equal([0.5, 1.0], cdf.Y);
    }

    [Fact]
    public void FromQuantiles_SkipsMissingQuantilesAndScales()
    {
        var cdf = Cdf.FromQuantiles("x", [1.0, double.NaN, 3, 4], [0.25, 0.5, 0.75, 1], scale: 0.001);

        Assert.Equal([0.001, 0.003, 0.004], cdf.X);
        Assert.Equal([0.25, 0.75, 1.0], cdf.Y);
        Assert.True(cdf.Step);
    }

    [Fact]
    public void LogHistogramQuantiles_OnePass_EqualQuantileAtEachFraction()
    {
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var rng = new Random(seed);
            var h = new LogHistogram();
            for (var i = rng.Next(0, 500); i > 0; i--) h.Add(rng.Next(4) == 0 ? 0 : rng.NextDouble() * 1000);
            double[] fractions = [0, 0.01, 0.25, 0.5, 0.5, 0.9, 0.99, 1];

            var all = h.Quantiles(fractions);

            Assert.Equal(fractions.Select(h.Quantile), all);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }
}
