using Stamen.Experiments;
using Stamen.Optimization.Milp;
using Stamen.Reporting;
using Stamen.Reporting.Studies;
using Stamen.Simulation.Metrics;
using Stamen.Tests.Scenarios;
using Stamen.Workload;

namespace Stamen.Tests.Reporting;

/// <summary>The `stamen reproduce` reports, built from reduced studies: one topology, two instances, a small adapter grid.</summary>
public sealed class StudyReportBuilderTests
{
    private static readonly Lazy<IReadOnlyList<GeoStudyCell>> Geo = new(() =>
        GeoStudy.Run([ScenarioFiles.LoadExample("scattered-gtsce.yaml")], [0.5], [64, 128], runs: 1));

    private static readonly Lazy<MilpGapReport> Milp = new(() => MilpGapStudy.Run(3, seed: 7));

    private static readonly LoraGridSetup LoraSetup = new("llama-3.1-8b", [8, 16], 0.05, 30, new UniformTokenCount(32, 1024), new UniformTokenCount(16, 512));

    private static readonly Lazy<IReadOnlyList<LoraGridCell>> Lora = new(() => LoraGridStudy.Run(LoraSetup, [8, 16, 32], [8, 16]));

    private static readonly Lazy<IReadOnlyList<SplitGridCell>> Split = new(() => SplitGridStudy.Run());

    [Fact]
    public void Geo_PerTopology_TimeChartHasEveryAlgorithmsTimePerTokenPerSetup()
    {
        var cells = Geo.Value;

        var report = GeoStudyReportBuilder.Build(cells, oneRowPerAlgorithm: false, "stamen reproduce geo");

        ReportAssert.WellFormed(report);
        var scenario = cells[0].Scenario;
        var algorithms = cells[0].Results.Results.Select(r => r.Algorithm).ToArray();
        var time = ReportAssert.Chart<BarChart>(report, $"Time per token per setup: {scenario}");
        Assert.Equal(cells.Count, time.Categories.Count);
        Assert.Equal(algorithms, time.Series.Select(s => s.Name));
        foreach (var series in time.Series)
            Assert.Equal(cells.Select(c => c.Results.Results.First(r => r.Algorithm == series.Name).Metric(SwarmMetricNames.MeanTimePerToken).Mean), series.Values);
        var best = algorithms.MinBy(a => cells.Average(c => c.Results.Results.First(r => r.Algorithm == a).Metric(SwarmMetricNames.MeanTimePerToken).Mean))!;
        Assert.StartsWith($"On {scenario}, {best} has the lowest", time.AltText, StringComparison.Ordinal);
        Assert.Equal(cells.Count, report.Sections[0].Tables[0].Rows.Count);
    }

    [Fact]
    public void Geo_ReductionChart_OneSeriesPerAlgorithmBesidesTheBaseline()
    {
        var cells = Geo.Value;

        var report = GeoStudyReportBuilder.Build(cells, oneRowPerAlgorithm: true, "stamen reproduce geo --all-algorithms");

        // Each side against its own PETALS: the published reproductions, then Stamen's rules.
        var results = cells[0].Results.Results;
        var baselines = results.Where(r => cells[0].BaselineOf(r.Algorithm) == r.Algorithm).Select(r => r.Algorithm).ToArray();
        Assert.Equal(["petals-published", "petals"], baselines);
        var chart = ReportAssert.Chart<BarChart>(report, "Reduction against petals-published / petals per setup");
        var others = results.Select(r => r.Algorithm).Except(baselines).ToArray();
        Assert.Equal(["cg-bp+ws-rr-published", "cg-bp+ws-rr"], others);
        Assert.Equal(others, chart.Series.Select(s => s.Name));
        Assert.Equal(cells.Select(c => c.ReductionPercent(others[0])), chart.Series[0].Values);
        Assert.Equal("%", chart.Y.Unit);
        Assert.Equal(cells.Count * results.Count, report.Sections[0].Tables[0].Rows.Count);
    }

    [Fact]
    public void MilpGap_GapChartCarriesTheSummariesAndNamesTheClosestHeuristic()
    {
        var study = Milp.Value;

        var report = MilpGapReportBuilder.Build(study, "stamen reproduce milp-gap");

        ReportAssert.WellFormed(report);
        var gap = ReportAssert.Chart<BarChart>(report, "Gap to the MILP optimum");
        Assert.Equal(study.Summaries.Select(s => s.Algorithm), gap.Categories);
        Assert.Equal(study.Summaries.Select(s => s.MeanGapPercent), gap.Series.Single(s => s.Name == "mean gap").Values);
        var closest = study.Summaries.Where(s => s.Compared > 0).MinBy(s => s.MeanGapPercent)!;
        Assert.StartsWith(closest.Algorithm + " comes closest", gap.AltText, StringComparison.Ordinal);
        var infeasible = ReportAssert.Chart<BarChart>(report, "Instances each heuristic's plan cannot serve");
        Assert.Equal(study.Summaries.Select(s => (double)s.RoutesOverflow), infeasible.Series.Single(s => s.Name == "routes overflow memory").Values);
        Assert.Equal(study.Summaries.Select(s => (double)s.NoPlan), infeasible.Series.Single(s => s.Name == "no plan").Values);
    }

    [Fact]
    public void MilpGap_ObjectiveScatter_ProvenOptimaLieOnOrBelowEveryHeuristic()
    {
        var study = Milp.Value;

        var chart = ReportAssert.Chart<ScatterChart>(MilpGapReportBuilder.Build(study, "stamen reproduce milp-gap"), "Heuristic objective against the MILP optimum");

        Assert.True(chart.Diagonal);
        Assert.Equal(study.Summaries.Select(s => s.Algorithm), chart.Series.Select(s => s.Name));
        Assert.Equal(study.Summaries.Select(s => s.Compared), chart.Series.Select(s => s.X.Count));
        if (study.MilpOptimalCount == study.Instances.Count)
            Assert.All(chart.Series, s => Assert.All(s.X.Zip(s.Y), xy => Assert.True(xy.Second >= xy.First * (1 - 1e-9), s.Name)));
    }

    [Fact]
    public void LoraGrid_GeometricAdapters_OneLinePerSlotsOnALogAxis()
    {
        var cells = Lora.Value;

        var report = LoraGridReportBuilder.Build(LoraSetup, cells, "stamen reproduce engine-lora");

        ReportAssert.WellFormed(report);
        var chart = ReportAssert.Chart<LineChart>(report, "Throughput by served adapters");
        Assert.Equal(AxisScale.Log, chart.X.Scale);
        Assert.Equal(["8 slots", "16 slots"], chart.Series.Select(s => s.Name));
        var sixteen = chart.Series[1];
        Assert.Equal([16.0, 32.0], sixteen.X);
        Assert.Equal(cells.Where(c => c.Slots == 16).OrderBy(c => c.Adapters).Select(c => c.Metrics!.TotalTokensPerSec), sixteen.Y);
        var best = cells.Where(c => c.Metrics is not null).MaxBy(c => c.Metrics!.TotalTokensPerSec)!;
        Assert.Contains($"with {best.Adapters} adapters in {best.Slots} slots", chart.AltText, StringComparison.Ordinal);
        var starved = ReportAssert.Chart<LineChart>(report, "Starved adapters");
        Assert.Equal(cells.Where(c => c.Slots == 8).OrderBy(c => c.Adapters).Select(c => (double)c.StarvedAdapters), starved.Series[0].Y);
    }

    [Theory]
    [InlineData(new[] { 8, 32, 96, 192, 384 }, true)]
    [InlineData(new[] { 8, 16, 32 }, true)]
    [InlineData(new[] { 10, 20, 30 }, false)]
    [InlineData(new[] { 8, 16 }, false)]
    public void IsGeometric_StepsGrowingWithTheValues_TakesTheLogAxis(int[] adapters, bool expected) =>
        Assert.Equal(expected, LoraGridReportBuilder.IsGeometric(adapters));

    [Fact]
    public void SplitGrid_SavingChart_DevicesByModelsWithTheMeanSaving()
    {
        var cells = Split.Value;

        var report = SplitGridReportBuilder.Build(cells, "stamen reproduce split");

        ReportAssert.WellFormed(report);
        var chart = ReportAssert.Chart<BarChart>(report, "Server work saved against server only");
        Assert.Equal(cells.Select(c => c.Device).Distinct(), chart.Categories);
        Assert.Equal(SplitGridStudy.Models, chart.Series.Select(s => s.Name));
        var model = SplitGridStudy.Models[0];
        Assert.Equal(chart.Categories.Select(d => cells.Where(c => c.Model == model && c.Device == d).Average(c => c.ReductionVsServerOnlyPercent)),
            chart.Series[0].Values);
        var most = cells.GroupBy(c => (c.Model, c.Device)).MaxBy(g => g.Average(c => c.ReductionVsServerOnlyPercent))!.Key;
        Assert.StartsWith($"Offloading layers to a {most.Device} saves the most", chart.AltText, StringComparison.Ordinal);
        Assert.Contains(most.Model, chart.AltText, StringComparison.Ordinal);
        Assert.Single(ReportAssert.Charts(report), c => c.Title.StartsWith("Gain over greedy", StringComparison.Ordinal));
    }
}
