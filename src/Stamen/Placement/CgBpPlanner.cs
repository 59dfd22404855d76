using Stamen.Performance;
using Stamen.Plans;
using Stamen.Routing;

namespace Stamen.Placement;

/// <summary>
/// CG-BP, the block placement of CG-BPRR and CG-BP + WS-RR (reference section 1, items 1-3, 5, 6;
/// Sun et al., arXiv 2512.21884).
/// <list type="number">
/// <item>m_j = min(floor(M_j / (s_m + s_c R)), L, MaxBlocks_j) with s_c of the context's typical
/// request: room for R sessions through every held block. m_j = 0 means the server holds nothing.</item>
/// <item>t~_j = tau_j + max_c RTT(c,j) / m_j; servers sorted ascending (stable by index).</item>
/// <item>Greedy placement on C_b and T_b (T_b starts at R t_max, t_max = max t~ + 1 as the dummy);
/// cap_j = floor((M_j - s_m m_j) / (s_c m_j)); the cache is one shared pool M_j - s_m m_j.</item>
/// <item>R from the load unless <see cref="CgBpOptions.FixedSessions"/>: T1 = the worst client's
/// modelled time for one request alone on the R = 1 placement, routed by offline shortest path
/// (link cost <see cref="CgBpOptions.T1HopCost"/>), plus the context's fixed delays
/// (<see cref="CgBpOptions.T1Delays"/>: both by default, our choice; the initial delay alone in
/// the published simulator); mean = lambda T1; R = min(round(mean + sqrt(mean)), R_max), at least 1. round is
/// half-to-even, as Python's round in the published simulator.</item>
/// </list>
/// Choice where the reference is silent: when the servers cannot cover the model with the R the
/// load asks for (sum m_j(R) &lt; L), R is lowered to the largest value that covers it, so a plan
/// always exists when R = 1 fits; the load's R stays in the figures and
/// capacity_shortfall_blocks counts blocks whose C_b is below it.
/// <para>Figures: sessions_R (R placed for), sessions_R_requested, t1_ms, r_max,
/// bound_ms_per_token (Theorem 2: sum_{j&lt;=K} t~_j m_j - tau_K (sum_{j&lt;=K} m_j - L), K the
/// shortest prefix of the sorted servers whose block counts sum to at least L: the greedy fills
/// blocks left to right in that order, so those K servers form a chain with per-token time at
/// most the bound for every client), capacity_shortfall_blocks, blocks_total.</para>
/// </summary>
public sealed class CgBpPlanner(CgBpOptions? options = null) : IPlacementPlanner
{
    public CgBpOptions Options { get; } = options ?? CgBpOptions.Default;

    public PlacementPlan Plan(PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var swarm = context.Swarm;
        var model = swarm.Model;
        var l = model.NumBlocks;
        var sc = context.TypicalSessionCacheBytesPerBlock();
        if (Options.FixedSessions is < 1)
            throw new ArgumentOutOfRangeException(nameof(context), Options.FixedSessions, "The fixed session count R must be at least 1 (the catalog's options check it).");

        var single = CgBpLayout.Build(swarm, sc, 1);
        if (single.TotalBlocks < l) throw PlacementErrors.ModelDoesNotFit(l, single.TotalBlocks);

        var t1DelayMs = Options.T1Delays == CgBpT1Delays.InitialOnly ? context.FixedDelayMs - context.AllocationDelayMs : context.FixedDelayMs;
        var t1Ms = SingleRequestMs(context, single, Options.T1HopCost) + t1DelayMs;
        var rMax = Options.RMax ?? RMax(context, sc);
        int requested;
        if (Options.FixedSessions is { } fixedR)
            requested = fixedR;
        else
        {
            var mean = context.ArrivalRatePerSec * t1Ms / 1000.0;
            var rounded = Math.Round(mean + Math.Sqrt(mean), MidpointRounding.ToEven);
            requested = (int)Math.Max(1, Math.Min(rounded, rMax));
        }

        var sessions = requested;
        while (sessions > 1 && CgBpLayout.TotalBlocksFor(swarm, sc, sessions) < l) sessions--;
        var layout = sessions == 1 ? single : CgBpLayout.Build(swarm, sc, sessions);

        var spans = layout.Spans.ToList();
        var caches = layout.Spans.Select((s, j) => new CacheBudget(s.IsEmpty ? 0 : layout.PoolBytes[j], PerBlock: false)).ToList();
        var figures = new Dictionary<string, double>
        {
            ["sessions_R"] = sessions,
            ["sessions_R_requested"] = requested,
            ["t1_ms"] = t1Ms,
            ["r_max"] = rMax,
            ["bound_ms_per_token"] = Theorem2BoundMs(context, layout),
            ["capacity_shortfall_blocks"] = layout.BlockCapacity.Count(c => c < requested),
            ["blocks_total"] = layout.TotalBlocks,
        };
        return new PlacementPlan(new BlockPlacement(l, spans, caches), figures);
    }

    /// <summary>R_max = floor((sum M - s_m (L + |S|)) / (s_c (L + |S|))), at least 1.</summary>
    private static int RMax(PlanningContext context, double sc)
    {
        var swarm = context.Swarm;
        var slots = swarm.Model.NumBlocks + swarm.ServerCount;
        var free = swarm.Servers.Sum(s => s.MemoryBytes) - swarm.Model.BlockBytes * slots;
        return (int)Math.Clamp(Math.Floor(free / (sc * slots)), 1, int.MaxValue);
    }

    /// <summary>Worst client's modelled time of one request routed alone by offline shortest path with link cost <paramref name="mode"/>.</summary>
    private static double SingleRequestMs(PlanningContext context, CgBpLayout layout, HopCostMode mode)
    {
        var swarm = context.Swarm;
        var placement = new BlockPlacement(swarm.Model.NumBlocks, layout.Spans, layout.Spans.Select(_ => new CacheBudget(0, false)).ToList());
        var performance = new SwarmPerformanceModel(swarm);
        var cost = new HopCost(performance, mode);
        double worst = 0;
        for (var c = 0; c < swarm.ClientCount; c++)
        {
            var client = c;
            var (route, _) = ChainSearch.Cheapest(placement, (j, start, end) => cost.Ms(client, j, end - start, context.Typical));
            worst = Math.Max(worst, route is null ? double.PositiveInfinity : performance.Time(route, client, context.Typical).TotalMs);
        }
        return worst;
    }

    private static double Theorem2BoundMs(PlanningContext context, CgBpLayout layout)
    {
        double sum = 0;
        long blocks = 0;
        foreach (var j in layout.Sorted)
        {
            sum += layout.AmortizedMs[j] * layout.Blocks[j];
            blocks += layout.Blocks[j];
            if (blocks >= context.Swarm.Model.NumBlocks)
                return sum - context.Swarm.Servers[j].Times.DecodeMsPerBlock * (blocks - context.Swarm.Model.NumBlocks);
        }
        return double.NaN;
    }
}
