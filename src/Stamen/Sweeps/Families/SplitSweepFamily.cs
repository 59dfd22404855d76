using System.Diagnostics;
using Stamen.Experiments;
using Stamen.Scenarios.Split;
using Stamen.Split;

namespace Stamen.Sweeps.Families;

/// <summary>
/// Split scenarios (`stamen split simulate`): every method's placements, made once per cell, served by the server twin on
/// run r's arrivals (seed + r, so run 0 is `split simulate`). Besides the twin's figures each method reports how much
/// server work its placements save against every layer on the server (rate-weighted over the request types) and how
/// many types it places within their SLA.
/// </summary>
public sealed class SplitSweepFamily : ISweepFamily
{
    public string Name => "split";
    public string AlgorithmsField => "methods";
    public string? RunsField => null;

    public IReadOnlyList<string> MetricNames { get; } =
    [
        "server_work_saved_fraction", "types_within_sla", "utilisation", "throughput_per_s", "capacity_per_s", "mean_server_work_ms",
        "mean_wait_ms", "p95_wait_ms", "mean_latency_ms", "p95_latency_ms", "sla_violation_fraction",
    ];

    public IReadOnlyList<string> ReportMetrics { get; } = ["server_work_saved_fraction", "capacity_per_s", "mean_latency_ms", "sla_violation_fraction"];

    public string? BuiltinText(string name) => name == SplitScenarioParser.DefaultName ? SplitScenarioParser.DefaultYaml : null;

    public ISweepScenario Load(string text, string file, string baseDirectory) => new Scenario(SplitScenarioParser.ParseText(text, file));

    private sealed class Scenario(SplitScenario scenario) : ISweepScenario
    {
        private readonly Lazy<(IReadOnlyList<SplitTypeResult> Plans, double Ms)> _plans = new(() =>
        {
            var clock = Stopwatch.StartNew();
            var plans = SplitStudy.Plan(scenario);
            return (plans, clock.Elapsed.TotalMilliseconds);
        });

        public string Name => scenario.Name;
        public int Runs => 1;
        public IReadOnlyList<string> Algorithms => scenario.MethodNames;

        public int RunSeed(int run) => checked(scenario.Seed + run);

        public IReadOnlyList<SweepRunMetrics> Run(int run, CancellationToken cancellation)
        {
            var (plans, planMs) = _plans.Value;
            var results = new List<SweepRunMetrics>(Algorithms.Count);
            foreach (var method in Algorithms)
            {
                cancellation.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var traffic = plans.Select(p => new SplitTraffic(p.Type.Name, p.For(method), p.Type.Problem, p.Type.RatePerSec)).ToArray();
                var m = SplitServerTwin.Run(method, traffic, scenario.ServerGpus, scenario.DurationSec, RunSeed(run));
                var serverOnly = plans.Sum(p => p.Type.RatePerSec * p.ServerOnly.ServerWorkMs);
                var work = plans.Sum(p => p.Type.RatePerSec * p.For(method).ServerWorkMs);
                results.Add(new SweepRunMetrics(method,
                [
                    new("server_work_saved_fraction", serverOnly > 0 ? 1 - work / serverOnly : double.NaN), new("types_within_sla", plans.Count(p => p.For(method).MeetsSla)),
                    new("utilisation", m.Utilisation), new("throughput_per_s", m.ThroughputPerSec), new("capacity_per_s", m.CapacityPerSec),
                    new("mean_server_work_ms", m.MeanServerWorkMs), new("mean_wait_ms", m.MeanWaitMs), new("p95_wait_ms", m.P95WaitMs),
                    new("mean_latency_ms", m.MeanLatencyMs), new("p95_latency_ms", m.P95LatencyMs), new("sla_violation_fraction", m.SlaViolationFraction),
                ], [new("plan_ms", planMs), new("run_ms", clock.Elapsed.TotalMilliseconds)]));
            }
            return results;
        }
    }
}
