using System.Diagnostics;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;

namespace Stamen.Sweeps.Families;

/// <summary>
/// Engine scenarios (`stamen engine compare`): every policy on one arrival stream per run. Run r draws its arrivals from
/// seed + r, so run 0 is what `stamen engine compare --seed S` simulates.
/// </summary>
public sealed class EngineSweepFamily : ISweepFamily
{
    public string Name => "engine";
    public string AlgorithmsField => "policies";
    public string? RunsField => null;

    public IReadOnlyList<string> MetricNames { get; } =
    [
        "makespan_ms", "completed", "rejected", "iterations", "output_tokens_per_s", "input_tokens_per_s", "total_tokens_per_s",
        "ttft_mean_ms", "ttft_p50_ms", "ttft_p90_ms", "ttft_p99_ms",
        "itl_mean_ms", "itl_p50_ms", "itl_p90_ms", "itl_p99_ms",
        "e2e_mean_ms", "e2e_p50_ms", "e2e_p90_ms", "e2e_p99_ms",
        "preemptions", "kv_utilisation", "kv_waste_fraction", "offered_tokens_per_s", "served_tokens_per_s", "starved",
        "swap_outs", "adapter_loads", "remote_attention_ms", "ttft_samples", "itl_samples", "e2e_samples",
    ];

    public IReadOnlyList<string> ReportMetrics { get; } = ["ttft_p50_ms", "itl_p50_ms", "e2e_p99_ms", "output_tokens_per_s"];

    public string? BuiltinText(string name) => name == EngineScenarioParser.DefaultName ? EngineScenarioParser.DefaultYaml : null;

    public ISweepScenario Load(string text, string file, string baseDirectory) =>
        new Scenario(EngineScenarioParser.ParseText(text, file, baseDirectory));

    /// <summary>An engine run's metrics as named columns, in <see cref="MetricNames"/> order.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Named(EngineMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return
        [
            new("makespan_ms", m.MakespanMs), new("completed", m.Completed), new("rejected", m.Rejected), new("iterations", m.Iterations),
            new("output_tokens_per_s", m.OutputTokensPerSec), new("input_tokens_per_s", m.InputTokensPerSec), new("total_tokens_per_s", m.TotalTokensPerSec),
            new("ttft_mean_ms", m.TimeToFirstToken.MeanMs), new("ttft_p50_ms", m.TimeToFirstToken.P50Ms), new("ttft_p90_ms", m.TimeToFirstToken.P90Ms), new("ttft_p99_ms", m.TimeToFirstToken.P99Ms),
            new("itl_mean_ms", m.InterTokenLatency.MeanMs), new("itl_p50_ms", m.InterTokenLatency.P50Ms), new("itl_p90_ms", m.InterTokenLatency.P90Ms), new("itl_p99_ms", m.InterTokenLatency.P99Ms),
            new("e2e_mean_ms", m.EndToEndLatency.MeanMs), new("e2e_p50_ms", m.EndToEndLatency.P50Ms), new("e2e_p90_ms", m.EndToEndLatency.P90Ms), new("e2e_p99_ms", m.EndToEndLatency.P99Ms),
            new("preemptions", m.Preemptions), new("kv_utilisation", m.KvUtilisation), new("kv_waste_fraction", m.KvWasteFraction),
            new("offered_tokens_per_s", m.Starvation.OfferedTokensPerSec), new("served_tokens_per_s", m.Starvation.ServedTokensPerSec), new("starved", m.Starvation.Starved ? 1 : 0),
            new("swap_outs", m.SwapOuts), new("adapter_loads", m.AdapterLoads), new("remote_attention_ms", m.RemoteAttentionMs),
            new("ttft_samples", m.TimeToFirstToken.Samples), new("itl_samples", m.InterTokenLatency.Samples), new("e2e_samples", m.EndToEndLatency.Samples),
        ];
    }

    /// <summary>The metrics <see cref="Named"/> wrote, as the record again (what studies read back from a sweep's store).</summary>
    public static EngineMetrics FromNamed(IReadOnlyList<KeyValuePair<string, double>> named)
    {
        ArgumentNullException.ThrowIfNull(named);
        var v = named.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        LatencySummary Latency(string p) => new(v[p + "_mean_ms"], v[p + "_p50_ms"], v[p + "_p90_ms"], v[p + "_p99_ms"], (int)v[p + "_samples"]);
        return new EngineMetrics(v["makespan_ms"], (int)v["completed"], (int)v["rejected"], (long)v["iterations"], v["output_tokens_per_s"], v["input_tokens_per_s"],
            v["total_tokens_per_s"], Latency("ttft"), Latency("itl"), Latency("e2e"), (int)v["preemptions"], v["kv_utilisation"], v["kv_waste_fraction"],
            new StarvationSummary(v["offered_tokens_per_s"], v["served_tokens_per_s"], v["starved"] != 0), (int)v["swap_outs"], (long)v["adapter_loads"], v["remote_attention_ms"]);
    }

    private sealed class Scenario(EngineScenario scenario) : ISweepScenario
    {
        public string Name => scenario.Name;
        public int Runs => 1;
        public IReadOnlyList<string> Algorithms { get; } = [.. scenario.Policies.Select(p => p.Name)];

        public int RunSeed(int run) => checked(scenario.Seed + run);

        public IReadOnlyList<SweepRunMetrics> Run(int run, CancellationToken cancellation)
        {
            var requests = scenario.Requests(RunSeed(run));
            var results = new List<SweepRunMetrics>(scenario.Policies.Count);
            foreach (var policy in scenario.Policies)
            {
                cancellation.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var result = EngineTwin.Run(scenario.Deployment, policy, requests);
                clock.Stop();
                results.Add(new SweepRunMetrics(policy.Name, Named(result.Metrics), [new("run_ms", clock.Elapsed.TotalMilliseconds)]));
            }
            return results;
        }
    }
}
