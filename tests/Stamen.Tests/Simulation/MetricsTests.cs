using Stamen.Plans;
using Stamen.Routing;
using Stamen.Simulation.Metrics;
using Stamen.Simulation.Swarm;

namespace Stamen.Tests.Simulation;

public class MetricsTests
{
    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.95, 3.85)]      // numpy.percentile([1,2,3,4], 95)
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.5, 5.5)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.99, 9.91)]
    [InlineData(new double[] { 7 }, 0.99, 7)]
    [InlineData(new double[] { 2, 4 }, 1.0, 4)]
    public void OfSorted_KnownSamples_MatchesNumpyLinearRule(double[] sorted, double fraction, double expected) =>
        Assert.Equal(expected, Percentiles.OfSorted(sorted, fraction), 1e-12);

    [Fact]
    public void Summarize_FiveValues_HalfWidthIsStudentTTimesStandardError()
    {
        // 1..5: mean 3, sample variance 2.5, t(0.975, 4) = 2.7764451051977987 (tables).
        var ci = MonteCarloSummary.Summarize([1, 2, 3, 4, 5]);
        Assert.Equal(3, ci.Mean, 1e-12);
        Assert.Equal(2.7764451051977987 * Math.Sqrt(2.5) / Math.Sqrt(5), ci.HalfWidth95, 1e-6);
        Assert.Equal(5, ci.Runs);
    }

    [Fact]
    public void Summarize_OneRun_ZeroHalfWidth()
    {
        var ci = MonteCarloSummary.Summarize([4.2]);
        Assert.Equal(new MeanWithCi(4.2, 0, 1), ci);
    }

    [Fact]
    public void From_HandMadeRun_FiguresFromDefinitions()
    {
        RouteHop[] hops = [new(0, 0, 8)];
        RequestOutcome[] outcomes =
        [
            new(0, 0, 0, hops, 0, 0, 0, 1_000, 10_000, 10_000, 10, true),
            new(1, 2_000, 0, hops, 1, 1_000, 3_000, 3_000, 20_000, 22_000, 20, true),
            new(2, 4_000, 0, [], 50, double.NaN, double.NaN, double.NaN, double.NaN, 100_000, 10, false),
        ];
        var metrics = SwarmMetrics.From(new SwarmRunResult(outcomes, [], [], [], 0));

        Assert.Equal((1.0 + 1.0) / 2, metrics.MeanSecPerToken, 1e-12);  // 10 s / 10 and 20 s / 20
        Assert.Equal((1.0 + 3.0) / 2, metrics.MeanFirstTokenSec, 1e-12);
        Assert.Equal(15, metrics.MeanTotalSec, 1e-12);
        Assert.Equal(0.5, metrics.MeanWaitSec, 1e-12);
        Assert.Equal(30 / 22.0, metrics.ThroughputTokensPerSec, 1e-12);  // failed tokens not counted
        Assert.Equal((2, 1), (metrics.Succeeded, metrics.Failed));
        Assert.Equal((9.0 / 9 + 17.0 / 19) / 2, metrics.MeanPerTokenAfterFirstSec, 1e-12);  // (total - first) / (l_max - 1)
        Assert.Equal(0.5, metrics.MeanRetries, 1e-12);

        var summary = MonteCarloSummary.From([metrics, metrics with { MeanWaitSec = 1.5 }]);
        Assert.Equal(1.0, summary[SwarmMetricNames.MeanWait].Mean, 1e-12);
        Assert.Equal(0, summary[SwarmMetricNames.MeanTimePerToken].HalfWidth95, 1e-12);
        Assert.Equal(metrics.Named().Count, summary.Metrics.Count);
    }
}
