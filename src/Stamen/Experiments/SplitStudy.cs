using System.Diagnostics;
using Stamen.Scenarios.Split;
using Stamen.Split;

namespace Stamen.Experiments;

/// <summary>One method's placement of one request type.</summary>
/// <param name="Method">The method's name in the scenario.</param>
/// <param name="Plan">Its placement, or null when it found none that meets the SLA (the dynamic program says so).</param>
public sealed record SplitMethodPlan(string Method, SplitPlan? Plan);

/// <summary>One request type's placements by every method of the scenario, beside the two references.</summary>
/// <param name="Plans">One per method, in the scenario's order.</param>
/// <param name="Fastest">The least-latency placement (what a method that meets no SLA is shown with).</param>
/// <param name="ServerOnly">Every layer on the server (what server work saved is measured against).</param>
public sealed record SplitTypeResult(SplitRequestType Type, IReadOnlyList<SplitMethodPlan> Plans, SplitPlan Fastest, SplitPlan ServerOnly)
{
    /// <summary>Wall-clock ms each method took to plan this type; kept apart from the results (JSON `timings`).</summary>
    public IReadOnlyDictionary<string, double> PlanMs { get; init; } = new Dictionary<string, double>();

    /// <summary>The method's placement; the fastest one when it meets no SLA.</summary>
    public SplitPlan For(string method) => Find(method).Plan ?? Fastest;

    /// <summary>Whether the method found a placement meeting the SLA (false only for methods that can say so).</summary>
    public bool Found(string method) => Find(method).Plan is not null;

    /// <summary>The method's name, marked when it met no SLA and the fastest placement stands in.</summary>
    public string Label(string method) => Found(method) ? method : $"{method} (no placement meets the SLA: fastest)";

    private SplitMethodPlan Find(string method) =>
        Plans.FirstOrDefault(p => p.Method == method) ?? throw new ArgumentOutOfRangeException(nameof(method), method, "not a method of this study");
}

/// <summary>Plans every request type of a split scenario with each of its methods, and runs the server twin per method.</summary>
public static class SplitStudy
{
    public static IReadOnlyList<SplitTypeResult> Plan(SplitScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var planners = scenario.Methods.Select(m => (m.Name, Planner: SplitPlannerCatalog.Planners.Create(m))).ToArray();
        var fastest = new FastestSplit();
        var serverOnly = new ServerOnlySplit();
        return [.. scenario.RequestTypes.Select(t =>
        {
            var plans = new List<SplitMethodPlan>();
            var ms = new Dictionary<string, double>();
            foreach (var (name, planner) in planners)
            {
                var clock = Stopwatch.StartNew();
                plans.Add(new SplitMethodPlan(name, planner.Plan(t.Problem)));
                ms[name] = clock.Elapsed.TotalMilliseconds;
            }
            return new SplitTypeResult(t, plans, fastest.Plan(t.Problem), serverOnly.Plan(t.Problem)) { PlanMs = ms };
        })];
    }

    /// <summary>The server twin under each method's placements, on the same arrivals (rates times <paramref name="rateScale"/>).</summary>
    public static IReadOnlyList<SplitServerMetrics> Simulate(SplitScenario scenario, IReadOnlyList<SplitTypeResult> plans, double rateScale = 1,
        IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(plans);
        var methods = scenario.MethodNames;
        var results = new SplitServerMetrics[methods.Count];
        var done = 0;
        progress?.Report(new ExperimentProgress(0, methods.Count));
        Parallel.For(0, methods.Count, m =>
        {
            var traffic = plans.Select(p => new SplitTraffic(p.Type.Name, p.For(methods[m]), p.Type.Problem, p.Type.RatePerSec * rateScale)).ToArray();
            results[m] = SplitServerTwin.Run(methods[m], traffic, scenario.ServerGpus, scenario.DurationSec, scenario.Seed);
            progress?.Report(new ExperimentProgress(Interlocked.Increment(ref done), methods.Count));
        });
        return results;
    }
}
