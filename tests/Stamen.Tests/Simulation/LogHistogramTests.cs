using Stamen.Simulation.Metrics;

namespace Stamen.Tests.Simulation;

public sealed class LogHistogramTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Quantile_RandomSamples_WithinBucketPrecisionOfTheExactOrderStatistic(int seed)
    {
        var rng = new Random(seed);
        var values = Enumerable.Range(0, 20_000).Select(_ => rng.Next(4) == 0 ? 0 : Math.Exp(rng.NextDouble() * 12 - 4)).ToArray();
        var h = new LogHistogram();
        foreach (var v in values) h.Add(v);
        var sorted = values.Order().ToArray();

        foreach (var p in (double[])[0, 0.1, 0.25, 0.5, 0.9, 0.99, 0.999, 1])
        {
            var exact = sorted[(int)Math.Floor((sorted.Length - 1) * p)];
            Assert.InRange(h.Quantile(p), exact * (1 - 5e-4), exact * (1 + 5e-4));
        }
        Assert.Equal(values.Length, h.Count);
        Assert.Equal(values.Sum() / values.Length, h.Mean, 9);
        Assert.Equal(sorted[0], h.Min);
        Assert.Equal(sorted[^1], h.Max);
    }

    [Fact]
    public void Quantile_EmptyIsNaNAndOneValueIsItself()
    {
        var h = new LogHistogram();
        Assert.True(double.IsNaN(h.Quantile(0.5)));
        h.Add(12.345);
        Assert.Equal(12.345, h.Quantile(0.5));
        Assert.Equal(12.345, h.Quantile(0.99));
    }

    [Fact]
    public void Add_NegativeOrNaN_Throws()
    {
        var h = new LogHistogram();
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Add(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Add(double.NaN));
    }
}
