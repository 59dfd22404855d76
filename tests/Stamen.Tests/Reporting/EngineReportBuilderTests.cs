using Stamen.Experiments;
using Stamen.Reporting;
using Stamen.Reporting.Engine;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;
using Stamen.Tests.Engine;

namespace Stamen.Tests.Reporting;

public sealed class EngineReportBuilderTests
{
    private static readonly Lazy<(EngineScenario Scenario, IReadOnlyList<EngineRunResult> Results, IReadOnlyList<EngineSweepRow> Sweep, Report Report)> Built = new(() =>
    {
        var scenario = EngineScenarioParser.ParseText(EngineStudyTests.Tight, "tight.yaml", Path.GetTempPath());
        var results = EngineComparison.Run(scenario);
        var sweep = EngineRateSweep.Run(scenario, EngineReportBuilder.RateFactors, new EngineSlo());
        return (scenario, results, sweep, EngineReportBuilder.Comparison(scenario, scenario.Seed, results, sweep, new EngineSlo(), "stamen engine compare tight.yaml"));
    });

    [Fact]
    public void Comparison_IsWellFormed()
    {
        var report = Built.Value.Report;

        ReportAssert.WellFormed(report);
        Assert.Equal("engine", report.Kind);
        Assert.Contains(report.Summary, f => f.Name == "Model" && f.Value == "llama-3.1-8b");
        Assert.Contains(report.Summary, f => f.Name == "Seed" && f.Value == "1");
    }

    [Fact]
    public void Comparison_EveryLineChartHasOneSeriesPerPolicyInOrder()
    {
        var (scenario, _, _, report) = Built.Value;

        Assert.All(ReportAssert.Charts(report).OfType<LineChart>(),
            c => Assert.Equal(scenario.Policies.Select(p => p.Name), c.Series.Select(s => s.Name)));
    }

    [Fact]
    public void Comparison_LatencyCdfsAreCdfsAndTheTtftOneEndsAtTheSlowestRequest()
    {
        var (_, results, _, report) = Built.Value;
        var ttft = ReportAssert.Chart<LineChart>(report, "Time to first token");
        var itl = ReportAssert.Chart<LineChart>(report, "Inter-token latency");

        Assert.All(ttft.Series.Concat(itl.Series), ReportAssert.IsCdf);
        foreach (var (series, result) in ttft.Series.Zip(results))
        {
            var slowest = result.Requests.Where(r => r.Outcome == EngineOutcome.Completed).Max(r => r.FirstTokenMs - r.ArrivalMs) / 1000;
            Assert.Equal(slowest, series.X[^1], 9);
        }
        foreach (var (series, result) in itl.Series.Zip(results))
            Assert.InRange(result.Metrics.InterTokenLatency.P50Ms / 1000, series.X[0], series.X[^1]);
    }

    [Fact]
    public void Comparison_ThroughputCurvesArePointsOfTheSweepInRateOrder()
    {
        var (_, _, sweep, report) = Built.Value;
        var ttft = ReportAssert.Chart<LineChart>(report, "p99 time to first token against throughput");

        foreach (var (series, row) in ttft.Series.Zip(sweep))
        {
            Assert.Equal(row.Points.Select(p => p.Metrics.TotalTokensPerSec), series.X);
            Assert.Equal(row.Points.Select(p => p.Metrics.TimeToFirstToken.P99Ms / 1000), series.Y);
        }
        Assert.Contains("0.5x, 1x, 1.5x, 2x", ttft.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_KvTimelineInSecondsAndPercentWithinTheRun()
    {
        var (_, results, _, report) = Built.Value;
        var kv = ReportAssert.Chart<LineChart>(report, "KV cache use over time");

        foreach (var (series, result) in kv.Series.Zip(results))
        {
            Assert.True(series.Step);
            Assert.All(series.Y, y => Assert.InRange(y, 0, 100 + 1e-9));
            Assert.True(series.X.Zip(series.X.Skip(1)).All(p => p.First < p.Second));
            Assert.Equal(result.KvTimeline[0].TimeMs / 1000, series.X[0]);
            Assert.Equal(result.KvTimeline[^1].TimeMs / 1000, series.X[^1]);
        }
    }

    [Fact]
    public void Comparison_PolicyTableHasARowPerPolicyWithTheMetrics()
    {
        var (_, results, _, report) = Built.Value;
        var table = report.Sections[0].Tables[0];

        Assert.Equal(results.Select(r => r.PolicyName), table.Rows.Select(r => r[0]));
        Assert.Equal(results.Select(r => r.Metrics.Preemptions.ToString(System.Globalization.CultureInfo.InvariantCulture)), table.Rows.Select(r => r[7]));
    }

    [Fact]
    public void Comparison_AltTextNamesTheBestPolicyByTheNumbers()
    {
        var (_, results, _, report) = Built.Value;
        var best = results.MinBy(r => r.Metrics.TimeToFirstToken.P99Ms)!;

        var alt = ReportAssert.Chart<LineChart>(report, "Time to first token").AltText;

        Assert.StartsWith(best.PolicyName, alt, StringComparison.Ordinal);
        Assert.Contains((best.Metrics.TimeToFirstToken.P99Ms / 1000).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), alt, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_CapacityBarsAreEachPolicysThroughputAtItsCapacity()
    {
        var (scenario, _, sweep, _) = Built.Value;

        var report = EngineReportBuilder.Sweep(scenario, 1, sweep, new EngineSlo(), "stamen engine sweep");

        ReportAssert.WellFormed(report);
        var bars = ReportAssert.Chart<BarChart>(report, "Throughput each policy sustains");
        Assert.Equal(sweep.Select(r => r.Policy), bars.Categories);
        Assert.Equal(sweep.Select(r => r.Capacity?.Metrics.TotalTokensPerSec ?? 0), Assert.Single(bars.Series).Values);
    }

    [Fact]
    public void Comparison_SameResults_SameReport()
    {
        var (scenario, results, sweep, report) = Built.Value;

        var again = EngineReportBuilder.Comparison(scenario, scenario.Seed, results, sweep, new EngineSlo(), "stamen engine compare tight.yaml");

        Assert.Equal(Stamen.Reporting.Html.HtmlReport.Render(report), Stamen.Reporting.Html.HtmlReport.Render(again));
    }
}
