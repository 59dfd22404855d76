using System.Diagnostics;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Scenarios;
using Stamen.Simulation;
using Stamen.Simulation.Metrics;
using Stamen.Simulation.Swarm;

namespace Stamen.Experiments;

/// <summary>A plan for one run: the placement, the router over it, and how long planning took.</summary>
public sealed record PlannedRun(ResolvedRun Run, ResolvedAlgorithm Algorithm, PlacementPlan Plan, IRouter Router, double PlanningMs);

/// <summary>A plan replayed in the twin, with its metrics.</summary>
public sealed record SimulatedRun(PlannedRun Planned, SwarmRunResult Twin, SwarmMetrics Metrics);


/// <summary>
/// Wires planners, routers and the twin for a resolved scenario. Planners produce plans, the twin
/// consumes them; this class only connects them and aggregates Monte Carlo runs.
/// </summary>
public sealed class SwarmExperiment(ScenarioResolver resolver)
{
    public ScenarioResolver Resolver { get; } = resolver ?? throw new ArgumentNullException(nameof(resolver));

    public static PlannedRun Plan(ResolvedRun run, ResolvedAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(algorithm);
        var planner = PlacementCatalog.Planners.Create(algorithm.Parts.Placement);
        var context = new PlanningContext(run.Swarm, run.Typical, run.ArrivalRatePerSec, algorithm.FixedDelayMs,
            SeedStreams.Derive(run.Seed, SeedStreams.Planner)) { AllocationDelayMs = algorithm.AllocationMs };
        var clock = Stopwatch.StartNew();
        var plan = planner.Plan(context);
        var router = RouterCatalog.Create(algorithm.Parts.Routing, run.Swarm, plan.Placement);
        clock.Stop();
        return new PlannedRun(run, algorithm, plan, router, clock.Elapsed.TotalMilliseconds);
    }

    public static SimulatedRun Simulate(PlannedRun planned, bool recordTimeline = false, bool checkInvariants = false)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var input = new SwarmTwinInput(planned.Run.Swarm, planned.Plan.Placement, planned.Router,
            AdmissionCatalog.Policies.Create(planned.Algorithm.Parts.Admission), planned.Run.Requests,
            SeedStreams.Derive(planned.Run.Seed, SeedStreams.Twin))
        {
            SessionStartMs = planned.Algorithm.SessionStartMs,
            AllocationMs = planned.Algorithm.AllocationMs,
            RecordTimeline = recordTimeline,
            CheckInvariants = checkInvariants,
        };
        var twin = SwarmTwin.Run(input);
        return new SimulatedRun(planned, twin, SwarmMetrics.From(twin));
    }

    /// <summary>
    /// Every algorithm on runs 0..runs-1 (same seeds for all algorithms). Runs go in parallel;
    /// results are placed by index, so the output does not depend on thread timing.
    /// </summary>
    public ComparisonResult Compare(int runs, int? baseSeed = null, IReadOnlyList<ResolvedAlgorithm>? algorithms = null,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellation = default) =>
        CompareWithRuns(runs, baseSeed, algorithms, progress, cancellation: cancellation).Result;

    /// <summary>
    /// As <see cref="Compare"/>, also returning every simulated run as [run][algorithm]. With
    /// <paramref name="recordRunZeroTimeline"/>, run 0 also records its cache timeline (what reports draw); the other runs
    /// do not, so memory stays flat however many runs there are.
    /// </summary>
    public (ComparisonResult Result, SimulatedRun[][] Runs) CompareWithRuns(int runs, int? baseSeed = null, IReadOnlyList<ResolvedAlgorithm>? algorithms = null,
        IProgress<ExperimentProgress>? progress = null, bool recordRunZeroTimeline = false, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        algorithms ??= Resolver.Algorithms;
        var perRun = new SimulatedRun[runs][];
        var done = 0;
        var total = runs * algorithms.Count;
        progress?.Report(new ExperimentProgress(0, total));
        Parallel.For(0, runs, new ParallelOptions { CancellationToken = cancellation }, r =>
        {
            var run = Resolver.Resolve(r, baseSeed);
            perRun[r] = new SimulatedRun[algorithms.Count];
            for (var a = 0; a < algorithms.Count; a++)
            {
                cancellation.ThrowIfCancellationRequested();
                perRun[r][a] = Simulate(Plan(run, algorithms[a]), recordTimeline: recordRunZeroTimeline && r == 0);
                progress?.Report(new ExperimentProgress(Interlocked.Increment(ref done), total));
            }
        });
        var results = algorithms.Select((alg, a) => Summarize(alg, perRun.Select(r => r[a]).ToList())).ToList();
        return (new ComparisonResult(Resolver.Definition.Name, runs, baseSeed ?? Resolver.Definition.Seed,
            algorithms.Any(x => x.FixedDelayMs > 0), results), perRun);
    }

    private static AlgorithmResult Summarize(ResolvedAlgorithm alg, List<SimulatedRun> runs)
    {
        var metrics = MonteCarloSummary.From(runs.Select(r => r.Metrics).ToList()).Metrics.ToList();
        metrics.Add(new(MetricNames.PeakMemoryFraction, MonteCarloSummary.Summarize(runs.Select(PeakMemoryFraction).ToList())));
        var figures = Summaries(runs, r => r.Planned.Plan.Figures);
        var timings = Summaries(runs, r => r.Planned.Plan.Timings)
            .Prepend(new(MetricNames.PlanningMs, MonteCarloSummary.Summarize(runs.Select(r => r.Planned.PlanningMs).ToList())))
            .ToList();
        return new AlgorithmResult(alg.Name, alg.Parts.Placement.ToString(), alg.Parts.Routing.ToString(), alg.Parts.Admission.ToString(), runs.Count, metrics, figures)
        {
            Published = alg.Parts.FixedDelays == Algorithms.FixedDelaySource.Published,
            Timings = timings,
        };
    }

    /// <summary>Every name some run's <paramref name="of"/> has, in name order, summarised over the runs (NaN where a run lacks it).</summary>
    private static List<KeyValuePair<string, MeanWithCi>> Summaries(List<SimulatedRun> runs, Func<SimulatedRun, IReadOnlyDictionary<string, double>> of) =>
        [.. runs.SelectMany(r => of(r).Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(name => new KeyValuePair<string, MeanWithCi>(name, MonteCarloSummary.Summarize(
                runs.Select(r => of(r).TryGetValue(name, out var v) ? v : double.NaN).ToList())))];

    /// <summary>Highest memory use on any server as a fraction of its memory (1 = full).</summary>
    public static double PeakMemoryFraction(SimulatedRun run) =>
        run.Twin.Servers.Max(s => s.PeakMemoryBytes / s.MemoryLimitBytes);
}
