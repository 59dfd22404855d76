using Stamen.Performance;
using Stamen.Plans;

namespace Stamen.Placement;

/// <summary>
/// GBP-CR + GCA (Sun, He, Hou, MobiHoc 2026, arXiv 2604.14993; reference section 1, item 8): block
/// placement with a cache reservation of c sessions per server, then explicit chains with session
/// slots composed greedily over that placement. Hop times are Stamen's performance model
/// (<see cref="PlanningHopTimes"/>), not the paper's t_o + t_in l_in + t_out (l_out - 1).
/// <list type="number">
/// <item>c: <see cref="GbpCrOptions.FixedReservation"/>, or the paper's Eq. 9, c* = argmin c K(c)
/// over c = 1, 2, ... while the servers still hold L blocks, K(c) being the chains GBP-CR needs to
/// reach the service rate lambda / (rho-bar c); ties to the smaller c. The search stops once c
/// exceeds the best c K(c) found, since K &gt;= 1.</item>
/// <item>GBP-CR (<see cref="GbpCrLayout"/>) places the blocks.</item>
/// <item>GCA (<see cref="GreedyCacheAllocation"/>) composes chains and slots with every server's
/// free slots floor((M_j - s_m m_j) / s_c).</item>
/// <item>Each server's cache budget is one shared pool of s_c x (sum over chains through it of
/// slots x blocks it processes for that chain): exactly the reserved cache.</item>
/// </list>
/// Choices where the paper is silent: the rate test counts each chain's time plus the context's
/// fixed per-request delay (sessions hold cache through it in the twin); when no c reaches the
/// rate (the load exceeds what any reservation serves), c maximizes c x nu(c) with every server
/// placed; block counts are capped by the GPU's MaxBlocks, as in CG-BP.
/// <para>Figures: reservation_c, disjoint_chains (K(c)), composed_chains, chain_slots_total,
/// service_rate_per_s (sum of slots / (chain time + fixed delay) over the composed chains),
/// required_rate_per_s (lambda / rho-bar), rate_met (1 or 0), blocks_total.</para>
/// </summary>
public sealed class GbpCrPlanner(GbpCrOptions? options = null) : IPlacementPlanner
{
    public GbpCrOptions Options { get; } = options ?? GbpCrOptions.Default;

    public PlacementPlan Plan(PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var swarm = context.Swarm;
        var model = swarm.Model;
        var l = model.NumBlocks;
        var sc = context.TypicalSessionCacheBytesPerBlock();
        if (Options.FixedReservation is < 1)
            throw new StamenInputException("(scenario)", "reservation", "the cache reservation c must be at least 1", "set c to 1 or more, or leave it out to choose c from the load");
        if (!(Options.TargetLoad is > 0 and <= 1))
            throw new StamenInputException("(scenario)", "target_load", "the target load rho-bar must lie in (0, 1]", "use a value such as the paper's 0.7");

        var hops = new PlanningHopTimes(new SwarmPerformanceModel(swarm), context.Typical);
        var ratePerMs = context.ArrivalRatePerSec / 1000.0 / Options.TargetLoad;
        GbpCrLayout? Build(int c) => GbpCrLayout.Build(swarm, hops, sc, c, ratePerMs / c, context.FixedDelayMs);

        var layout = Build(1) ?? throw PlacementErrors.ModelDoesNotFit(l, swarm.Servers.Sum(s => (long)CgBpLayout.BlocksFor(s, model.BlockBytes, sc, 1, l)));
        if (Options.FixedReservation is { } fixedC)
            layout = Build(fixedC) ?? throw new StamenInputException("(scenario)", "reservation",
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"with cache for c = {fixedC} sessions per server the servers cannot hold all {l} blocks"),
                "lower c or leave it out to choose c from the load");
        else
            layout = ChooseReservation(layout, Build);

        var placement = new BlockPlacement(l, layout.Spans, layout.Spans.Select(_ => new CacheBudget(0, false)).ToList());
        var freeSlots = new long[swarm.ServerCount];
        for (var j = 0; j < freeSlots.Length; j++)
            if (!layout.Spans[j].IsEmpty)
                freeSlots[j] = (long)Math.Floor((swarm.Servers[j].MemoryBytes - model.BlockBytes * layout.Spans[j].Count) / sc);
        var chains = GreedyCacheAllocation.Compose(placement, freeSlots, hops.Ms);

        var reservedSlots = new long[swarm.ServerCount];
        double serviceRatePerMs = 0;
        foreach (var chain in chains)
        {
            foreach (var h in chain.Route.Hops) reservedSlots[h.Server] += (long)chain.Slots * h.Blocks;
            serviceRatePerMs += chain.Slots / (chain.Route.Hops.Sum(h => hops.Ms(h.Server, h.Blocks)) + context.FixedDelayMs);
        }
        var caches = reservedSlots.Select(slots => new CacheBudget(slots * sc, PerBlock: false)).ToList();
        var figures = new Dictionary<string, double>
        {
            ["reservation_c"] = layout.Reservation,
            ["disjoint_chains"] = layout.DisjointChains,
            ["composed_chains"] = chains.Count,
            ["chain_slots_total"] = chains.Sum(c => (long)c.Slots),
            ["service_rate_per_s"] = serviceRatePerMs * 1000,
            ["required_rate_per_s"] = ratePerMs * 1000,
            ["rate_met"] = layout.MeetsRate ? 1 : 0,
            ["blocks_total"] = layout.Spans.Sum(s => (long)s.Count),
        };
        return new PlacementPlan(placement with { Caches = caches, Chains = chains }, figures);
    }

    /// <summary>Eq. 9: argmin over c of c K(c) among reservations that reach the rate; else the largest c nu(c).</summary>
    private static GbpCrLayout ChooseReservation(GbpCrLayout first, Func<int, GbpCrLayout?> build)
    {
        GbpCrLayout? best = null, fallback = null;
        var bestScore = double.PositiveInfinity;
        for (var (c, layout) = (1, (GbpCrLayout?)first); layout is not null && c <= bestScore; layout = build(++c))
        {
            if (layout.MeetsRate)
            {
                double score = (long)c * layout.DisjointChains;
                if (score < bestScore) (best, bestScore) = (layout, score);
            }
            else if (fallback is null || c * layout.ServiceRatePerMs > fallback.Reservation * fallback.ServiceRatePerMs)
                fallback = layout;
            if (c == int.MaxValue) break;
        }
        return best ?? fallback ?? first;
    }
}
