using System.Diagnostics;
using Stamen.Experiments;
using Stamen.Scenarios;
using Stamen.Simulation;
using Stamen.Simulation.Metrics;

namespace Stamen.Sweeps.Families;

/// <summary>
/// Swarm scenarios (`stamen compare`): every algorithm planned and replayed on run r's swarm and arrivals, exactly as
/// <see cref="SwarmExperiment.Compare"/> does, so a cell's runs summarise to the comparison the command prints.
/// </summary>
public sealed class SwarmSweepFamily : ISweepFamily
{
    /// <summary>Prefix of a plan's own figures (CG-BP's R, a MILP's gap, ...) among the metric columns.</summary>
    public const string PlanFigurePrefix = "plan_";

    public string Name => "swarm";
    public string AlgorithmsField => "algorithms";
    public string? RunsField => "runs";

    public IReadOnlyList<string> MetricNames { get; } =
    [
        SwarmMetricNames.MeanTimePerToken, SwarmMetricNames.P50TimePerToken, SwarmMetricNames.P95TimePerToken, SwarmMetricNames.P99TimePerToken,
        SwarmMetricNames.MeanFirstToken, SwarmMetricNames.P95FirstToken, SwarmMetricNames.MeanPerTokenAfterFirst, SwarmMetricNames.MeanTotal,
        SwarmMetricNames.MeanWait, SwarmMetricNames.MeanRetries, SwarmMetricNames.Throughput, SwarmMetricNames.Succeeded, SwarmMetricNames.Failed,
        Stamen.Experiments.MetricNames.PeakMemoryFraction,
    ];

    public IReadOnlyList<string> ReportMetrics { get; } =
        [SwarmMetricNames.MeanTimePerToken, SwarmMetricNames.MeanFirstToken, SwarmMetricNames.Throughput, SwarmMetricNames.Failed];

    public bool IsMetric(string column) => MetricNames.Contains(column) || column.StartsWith(PlanFigurePrefix, StringComparison.Ordinal);

    public string? BuiltinText(string name) => name == BuiltinScenarios.DefaultName ? BuiltinScenarios.DefaultYaml : null;

    public ISweepScenario Load(string text, string file, string baseDirectory) =>
        new Scenario(ScenarioResolver.Create(ScenarioParser.ParseText(text, file, baseDirectory)));

    private sealed class Scenario(ScenarioResolver resolver) : ISweepScenario
    {
        public string Name => resolver.Definition.Name;
        public int Runs => resolver.Definition.Runs;
        public IReadOnlyList<string> Algorithms { get; } = [.. resolver.Algorithms.Select(a => a.Name)];

        public int RunSeed(int run) => SeedStreams.Derive(resolver.Definition.Seed, run);

        public IReadOnlyList<SweepRunMetrics> Run(int run, CancellationToken cancellation)
        {
            var resolved = resolver.Resolve(run);
            var results = new List<SweepRunMetrics>(resolver.Algorithms.Count);
            foreach (var algorithm in resolver.Algorithms)
            {
                cancellation.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var simulated = SwarmExperiment.Simulate(SwarmExperiment.Plan(resolved, algorithm));
                clock.Stop();
                var metrics = simulated.Metrics.Named().ToList();
                metrics.Add(new(Stamen.Experiments.MetricNames.PeakMemoryFraction, SwarmExperiment.PeakMemoryFraction(simulated)));
                metrics.AddRange(simulated.Planned.Plan.Figures.OrderBy(f => f.Key, StringComparer.Ordinal)
                    .Select(f => new KeyValuePair<string, double>(PlanFigurePrefix + f.Key, f.Value)));
                var timings = new List<KeyValuePair<string, double>> { new(Stamen.Experiments.MetricNames.PlanningMs, simulated.Planned.PlanningMs) };
                timings.AddRange(simulated.Planned.Plan.Timings.OrderBy(f => f.Key, StringComparer.Ordinal));
                timings.Add(new("run_ms", clock.Elapsed.TotalMilliseconds));
                results.Add(new SweepRunMetrics(algorithm.Name, metrics, timings));
            }
            return results;
        }
    }
}
