using System.Diagnostics;
using Stamen.Scenarios.Split;
using Stamen.Split;

namespace Stamen.Experiments;

/// <summary>One request type's placements by every method.</summary>
/// <param name="Dp">The dynamic program's placement, or null when no placement meets the SLA.</param>
/// <param name="Fastest">The least-latency placement (what an infeasible SLA is measured against).</param>
/// <param name="DpMs">Wall time of the dynamic program.</param>
public sealed record SplitTypeResult(SplitRequestType Type, SplitPlan? Dp, SplitPlan Fastest, SplitPlan Greedy, SplitPlan SingleCut, SplitPlan ServerOnly, double DpMs)
{
    /// <summary>The method's placement; for dp, the fastest one when the SLA cannot be met.</summary>
    public SplitPlan For(string method) => method switch
    {
        "dp" => Dp ?? Fastest,
        "greedy" => Greedy,
        "single-cut" => SingleCut,
        "server-only" => ServerOnly,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown split method"),
    };
}

/// <summary>Plans every request type of a split scenario with each method, and runs the server twin per method.</summary>
public static class SplitStudy
{
    public static IReadOnlyList<string> Methods { get; } = ["dp", "greedy", "single-cut", "server-only"];

    public static IReadOnlyList<SplitTypeResult> Plan(SplitScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var dp = new SplitDynamicProgram(scenario.LatencyStepMs);
        return [.. scenario.RequestTypes.Select(t =>
        {
            var clock = Stopwatch.StartNew();
            var plan = dp.Solve(t.Problem);
            var ms = clock.Elapsed.TotalMilliseconds;
            return new SplitTypeResult(t, plan, FastestSplit.Solve(t.Problem), GreedySplit.Solve(t.Problem), SingleCutSplit.Solve(t.Problem),
                ServerOnlySplit.Solve(t.Problem), ms);
        })];
    }

    /// <summary>The server twin under each method's placements, on the same arrivals (rates times <paramref name="rateScale"/>).</summary>
    public static IReadOnlyList<SplitServerMetrics> Simulate(SplitScenario scenario, IReadOnlyList<SplitTypeResult> plans, double rateScale = 1,
        IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(plans);
        var results = new SplitServerMetrics[Methods.Count];
        var done = 0;
        progress?.Report(new ExperimentProgress(0, Methods.Count));
        Parallel.For(0, Methods.Count, m =>
        {
            var traffic = plans.Select(p => new SplitTraffic(p.Type.Name, p.For(Methods[m]), p.Type.Problem, p.Type.RatePerSec * rateScale)).ToArray();
            results[m] = SplitServerTwin.Run(Methods[m], traffic, scenario.ServerGpus, scenario.DurationSec, scenario.Seed);
            progress?.Report(new ExperimentProgress(Interlocked.Increment(ref done), Methods.Count));
        });
        return results;
    }
}
