using FsCheck;
using FsCheck.Fluent;
using Stamen.Reporting;
using Stamen.Simulation.Metrics;

namespace Stamen.Tests.Reporting;

public sealed class SeriesThinningTests
{
    [Fact]
    public void EmpiricalCdf_AnyValues_NonDecreasingEndsAtOneWithinThePointBudget()
    {
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var rng = new Random(seed);
            var values = Enumerable.Range(0, rng.Next(1, 2000)).Select(_ => rng.NextDouble() * 100).ToArray();

            var cdf = SeriesThinning.EmpiricalCdf("x", values);

            ReportAssert.IsCdf(cdf);
            Assert.InRange(cdf.X.Count, 1, SeriesThinning.MaxPoints);
            Assert.Equal(values.Min(), cdf.X[0]);
            Assert.Equal(values.Max(), cdf.X[^1]);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Fact]
    public void EmpiricalCdf_NonFiniteValues_AreLeftOut()
    {
        var cdf = SeriesThinning.EmpiricalCdf("x", [double.NaN, 2, 1, double.PositiveInfinity]);

        Assert.Equal([1.0, 2], cdf.X);
        Assert.Equal([0.5, 1.0], cdf.Y);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(5, 10)]
    [InlineData(1000, 200)]
    [InlineData(201, 200)]
    public void Indices_KeepFirstAndLastAscendingWithinBudget(int count, int budget)
    {
        var picked = SeriesThinning.Indices(count, budget);

        Assert.Equal(Math.Min(count, budget), picked.Count);
        if (count == 0) return;
        Assert.Equal(0, picked[0]);
        Assert.Equal(count - 1, picked[^1]);
        Assert.True(picked.Zip(picked.Skip(1)).All(p => p.First < p.Second));
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
