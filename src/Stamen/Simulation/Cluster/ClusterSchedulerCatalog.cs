using Stamen.Options;
using Stamen.Plans;

namespace Stamen.Simulation.Cluster;

/// <summary>Builds a scheduler for a cluster, its placement and the placement's max flow (empty when not computed).</summary>
public delegate IClusterScheduler ClusterSchedulerFactory(ClusterSpec cluster, IReadOnlyList<BlockSpan> spans, IReadOnlyList<ClusterEdgeFlow> flows);

/// <summary>Every scheduler of the batching cluster twin, in one table.</summary>
public static class ClusterSchedulerCatalog
{
    private static readonly OptionSpec MidSpan = OptionSpec.Flag("enter_mid_span", false,
        "Let a request enter a server inside its span, running its last layers only (for overlapping spans, as PETALS places them)");

    public static Catalog<ClusterSchedulerFactory> Schedulers { get; } = new("cluster schedulers", "cluster-schedulers",
    [
        new("maxflow-iwrr", "Helix: max flow once per plan, then interleaved weighted round robin over the links carrying flow, skipping next servers without KV room",
            [OptionSpec.Number("kv_high_water_mark", 0.85, 0.01, 1, "Expected KV use a next server may reach with the request (Helix offline: 0.85, online: 0.9)")],
            v => (c, _, f) => new MaxFlowIwrrScheduler(c, f, v.Number("kv_high_water_mark"))),
        new("swarm", "Helix's Swarm baseline: per-link priorities at every server, advanced by each link's moving-average hop time (as Helix's update_weights); no KV check",
            [MidSpan], v => (c, s, _) => new SwarmEmaScheduler(c, s, v.Bool("enter_mid_span"))),
        new("random", "Helix's naive baseline: a uniformly random next server whose layers start where the request is; no KV check",
            [MidSpan], v => (c, s, _) => new RandomHopScheduler(c, s, v.Bool("enter_mid_span"))),
    ]);

    /// <summary>The scheduler with <c>enter_mid_span</c> set where it has that option (maxflow-iwrr follows its flows, computed mid-span too).</summary>
    public static Stamen.Options.ComponentChoice Choice(string name, bool enterMidSpan)
    {
        var entry = Schedulers.Find(name);
        if (!enterMidSpan || entry.Options.All(o => o.Name != "enter_mid_span")) return new(entry.Name, entry.Defaults);
        var problems = new List<Stamen.Options.InputProblem>();
        return Schedulers.Choose(entry.Name, "scheduler", [new Stamen.Options.RawOption("enter_mid_span", "true", null, "enter_mid_span")], problems)
            ?? throw new InvalidOperationException(string.Join("; ", problems.Select(p => p.Problem)));
    }
}
