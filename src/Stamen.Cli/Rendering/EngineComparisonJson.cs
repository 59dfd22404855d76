using Stamen.Reporting;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;

namespace Stamen.Cli.Rendering;

/// <summary>The JSON shape of `stamen engine compare --json`: one entry per policy, metrics in seconds, and the report (re-rendered by `stamen report`).</summary>
internal sealed record EngineComparisonJson(string Scenario, int Seed, string Model, string Gpu, long KvCapacityTokens, string StepTime,
    int Instances, string Router, int Adapters, int Requests, IReadOnlyList<EnginePolicyJson> Results, Report? Report = null)
{
    public static EngineComparisonJson From(EngineScenario scenario, int seed, IReadOnlyList<EngineRunResult> results)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(results);
        var c = scenario.Config;
        var d = scenario.Deployment;
        return new EngineComparisonJson(scenario.Name, seed, c.Model.Name, c.Gpu.Name, c.KvCapacityTokens, scenario.StepTimeLabel,
            d.Instances, d.Router, d.Lora?.Adapters.Count ?? 0, results.Count == 0 ? 0 : results[0].Requests.Count,
            [.. results.Select(EnginePolicyJson.From)]);
    }
}

internal sealed record EnginePolicyJson(string Policy, EngineMetricsJson Metrics, IReadOnlyList<EngineInstanceMetrics> Instances,
    IReadOnlyList<EngineAdapterJson> Adapters, IReadOnlyList<KvSampleJson> KvTimeline)
{
    public static EnginePolicyJson From(EngineRunResult r) =>
        new(r.PolicyName, EngineMetricsJson.From(r.Metrics), r.Instances,
            [.. r.Adapters.Select(a => new EngineAdapterJson(a.Name, a.Rank, a.Requests, a.Completed, a.Starvation.OfferedTokensPerSec,
                a.Starvation.ServedTokensPerSec, a.Starvation.Starved))],
            [.. r.KvTimeline.Select(k => new KvSampleJson(k.TimeMs / 1000, k.Utilisation))]);
}

internal sealed record EngineAdapterJson(string Name, int Rank, int Requests, int Completed, double OfferedTokensPerS, double ServedTokensPerS, bool Starved);

internal sealed record KvSampleJson(double TimeS, double KvUtilisation);

/// <summary>Metric names as the issue asks (snake_case, seconds), plus the rest of <see cref="EngineMetrics"/>.</summary>
internal sealed record EngineMetricsJson(
    double ThroughputTokensPerS,
    double OutputTokensPerS,
    double InputTokensPerS,
    double MeanTtftS,
    double P50TtftS,
    double P90TtftS,
    double P99TtftS,
    double MeanItlS,
    double P50ItlS,
    double P99ItlS,
    double MeanE2eS,
    double P50E2eS,
    double P90E2eS,
    double P99E2eS,
    int Preemptions,
    int Completed,
    int Rejected,
    long Iterations,
    double MakespanS,
    double KvUtilisation,
    double KvWasteFraction,
    int SwapOuts,
    long AdapterLoads,
    double RemoteAttentionS,
    double OfferedTokensPerS,
    double ServedTokensPerS,
    bool Starved)
{
    public static EngineMetricsJson From(EngineMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new EngineMetricsJson(
            m.TotalTokensPerSec, m.OutputTokensPerSec, m.InputTokensPerSec,
            m.TimeToFirstToken.MeanMs / 1000, m.TimeToFirstToken.P50Ms / 1000, m.TimeToFirstToken.P90Ms / 1000, m.TimeToFirstToken.P99Ms / 1000,
            m.InterTokenLatency.MeanMs / 1000, m.InterTokenLatency.P50Ms / 1000, m.InterTokenLatency.P99Ms / 1000,
            m.EndToEndLatency.MeanMs / 1000, m.EndToEndLatency.P50Ms / 1000, m.EndToEndLatency.P90Ms / 1000, m.EndToEndLatency.P99Ms / 1000,
            m.Preemptions, m.Completed, m.Rejected, m.Iterations, m.MakespanMs / 1000, m.KvUtilisation, m.KvWasteFraction,
            m.SwapOuts, m.AdapterLoads, m.RemoteAttentionMs / 1000, m.Starvation.OfferedTokensPerSec, m.Starvation.ServedTokensPerSec, m.Starvation.Starved);
    }
}
