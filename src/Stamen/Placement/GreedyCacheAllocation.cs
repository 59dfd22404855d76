using Stamen.Plans;
using Stamen.Routing;

namespace Stamen.Placement;

/// <summary>
/// Algorithm 2 of Sun, He, Hou (GCA): compose chains over a block placement and give each the most
/// concurrent sessions the servers' remaining cache allows. Repeatedly: the fastest chain in the
/// routing topology (shortest path, link cost t_j(m_ij)) among links whose server still has at
/// least m_ij free cache slots; its slots c_k = min over its hops of floor(slots left_j / m_ij);
/// each hop's server gives up c_k m_ij slots. Stops when no chain is left. Each round empties at
/// least the bottleneck link, so it ends after at most (servers x blocks) rounds.
/// </summary>
internal static class GreedyCacheAllocation
{
    /// <param name="placement">Spans to compose chains over (its chains are ignored).</param>
    /// <param name="freeSlots">Per server, cache slots of one block for one session (floor((M_j - s_m m_j) / s_c)); consumed.</param>
    /// <param name="hopMs">(server, blocks) to the hop's planning time.</param>
    public static List<ComposedChain> Compose(BlockPlacement placement, long[] freeSlots, Func<int, int, double> hopMs)
    {
        var chains = new List<ComposedChain>();
        while (true)
        {
            var (route, _) = ChainSearch.Cheapest(placement,
                (j, start, end) => freeSlots[j] >= end - start ? hopMs(j, end - start) : double.PositiveInfinity);
            if (route is null) return chains;
            var slots = route.Hops.Min(h => freeSlots[h.Server] / h.Blocks);
            foreach (var h in route.Hops) freeSlots[h.Server] -= slots * h.Blocks;
            chains.Add(new ComposedChain(route, (int)Math.Min(slots, int.MaxValue)));
        }
    }
}
