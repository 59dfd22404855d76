using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;

namespace Stamen.Cli.Rendering;

/// <summary>The JSON shape of `stamen engine compare --json`: one entry per policy, metrics in seconds.</summary>
internal sealed record EngineComparisonJson(string Scenario, int Seed, string Model, string Gpu, long KvCapacityTokens, string StepTime,
    int Requests, IReadOnlyList<EnginePolicyJson> Results)
{
    public static EngineComparisonJson From(EngineScenario scenario, int seed, IReadOnlyList<EngineRunResult> results)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(results);
        var c = scenario.Config;
        return new EngineComparisonJson(scenario.Name, seed, c.Model.Name, c.Gpu.Name, c.KvCapacityTokens, scenario.StepTimeLabel,
            results.Count == 0 ? 0 : results[0].Requests.Count,
            [.. results.Select(r => new EnginePolicyJson(r.PolicyName, EngineMetricsJson.From(r.Metrics)))]);
    }
}

internal sealed record EnginePolicyJson(string Policy, EngineMetricsJson Metrics);

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
    double KvWasteFraction)
{
    public static EngineMetricsJson From(EngineMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new EngineMetricsJson(
            m.TotalTokensPerSec, m.OutputTokensPerSec, m.InputTokensPerSec,
            m.TimeToFirstToken.MeanMs / 1000, m.TimeToFirstToken.P50Ms / 1000, m.TimeToFirstToken.P90Ms / 1000, m.TimeToFirstToken.P99Ms / 1000,
            m.InterTokenLatency.MeanMs / 1000, m.InterTokenLatency.P50Ms / 1000, m.InterTokenLatency.P99Ms / 1000,
            m.EndToEndLatency.MeanMs / 1000, m.EndToEndLatency.P50Ms / 1000, m.EndToEndLatency.P90Ms / 1000, m.EndToEndLatency.P99Ms / 1000,
            m.Preemptions, m.Completed, m.Rejected, m.Iterations, m.MakespanMs / 1000, m.KvUtilisation, m.KvWasteFraction);
    }
}
