using Stamen.Adapters;
using Stamen.Adapters.Placement;
using Stamen.Experiments;
using Stamen.Reporting;
using Stamen.Reporting.Adapters;
using Stamen.Scenarios.Adapters;

namespace Stamen.Tests.Reporting;

public sealed class AdapterReportBuilderTests
{
    /// <summary>A small adapter workload: enough load for two or three GPUs, a short twin run per GPU.</summary>
    internal const string TinyWorkload = """
        name: tiny-adapters
        seed: 1
        model: llama-3.1-8b
        gpu: h100-sxm
        policy: sarathi
        duration_s: 60
        prompt_tokens: {uniform: [32, 1024]}
        output_tokens: {uniform: [16, 512]}
        generate: {count: 24, ranks: [8, 16, 32], zipf: {total_per_s: 20, exponent: 1}}
        """;

    private static readonly Lazy<AdapterPlacementReport> Verified = new(() => Run(verifySeed: 2));

    private static AdapterPlacementReport Run(int? verifySeed)
    {
        var workload = AdapterWorkloadParser.ParseText(TinyWorkload, "tiny.yaml");
        IAdapterPlacer[] methods = [AdapterPlacerCatalog.Find("greedy"), AdapterPlacerCatalog.Find("balanced"), AdapterPlacerCatalog.Find("random")];
        return AdapterPlacementStudy.Run(workload, new TwinGpuLoadPredictor(workload.Twin), methods, verifySeed);
    }

    [Fact]
    public void Verify_GpuChart_StacksToEachPlansGpusWithTheLowerBoundBeside()
    {
        var study = Verified.Value;

        var report = AdapterReportBuilder.Build(study, "stamen adapters verify");

        ReportAssert.WellFormed(report);
        var chart = ReportAssert.Chart<BarChart>(report, "GPUs per method");
        Assert.True(chart.Stacked);
        Assert.Equal(study.Methods.Select(m => m.Placement.Method).Append(AdapterReportBuilder.LowerBoundCategory), chart.Categories);
        var totals = Enumerable.Range(0, chart.Categories.Count).Select(i => chart.Series.Sum(s => s.Values[i])).ToArray();
        Assert.Equal(study.Methods.Select(m => (double)m.Placement.GpuCount).Append(study.LowerBound.Gpus), totals);
        var starved = chart.Series.Single(s => s.Name.StartsWith("GPUs starved", StringComparison.Ordinal)).Values;
        Assert.Equal(study.Methods.Select(m => (double)m.Verification!.StarvedGpus).Append(0), starved);
    }

    [Fact]
    public void Verify_Scatter_PairsEachGpusPredictionWithItsTwinMeasurement()
    {
        var study = Verified.Value;

        var chart = ReportAssert.Chart<ScatterChart>(AdapterReportBuilder.Build(study, "stamen adapters verify"), "Predicted against twin-measured");

        Assert.True(chart.Diagonal);
        Assert.Equal(study.Methods.Select(m => m.Placement.Method), chart.Series.Select(s => s.Name));
        foreach (var (series, method) in chart.Series.Zip(study.Methods))
        {
            Assert.Equal(method.Placement.GpuCount, series.X.Count);
            Assert.Equal(method.Predictions!.Select(p => p.ThroughputTokensPerSec), series.X);
            Assert.Equal(method.Verification!.Gpus.Select(o => o.ThroughputTokensPerSec), series.Y);
        }
    }

    [Fact]
    public void Plan_WithoutVerification_HasNoScatterAndShowsLoadPerGpuPerMethod()
    {
        var study = Run(verifySeed: null);

        var report = AdapterReportBuilder.Build(study, "stamen adapters plan");

        ReportAssert.WellFormed(report);
        Assert.Empty(ReportAssert.Charts(report).OfType<ScatterChart>());
        var load = ReportAssert.Chart<LineChart>(report, "Offered load per GPU");
        var perRequest = study.Workload.Twin.PromptTokens.Mean + study.Workload.Twin.OutputTokens.Mean;
        foreach (var method in study.Methods)
        {
            var series = load.Series.Single(s => s.Name == method.Placement.Method);
            Assert.Equal(method.Placement.GpuCount, series.Y.Count);
            Assert.Equal(study.Workload.Adapters.Sum(a => a.RatePerSec) * perRequest, series.Y.Sum(), 6);
            Assert.True(series.Y.Zip(series.Y.Skip(1)).All(p => p.First >= p.Second));
        }
        Assert.Contains(load.Series, s => s.Name == "one GPU's capacity" && s.Y.All(y => y == study.LowerBound.CapacityTokensPerSec));
    }

    [Fact]
    public void Verify_GpuTableHasARowPerGpuOfEveryMethod()
    {
        var study = Verified.Value;

        var table = AdapterReportBuilder.Build(study, "stamen adapters verify").Sections[1].Tables[0];

        Assert.Equal(study.Methods.Sum(m => m.Placement.GpuCount), table.Rows.Count);
    }
}
