using Stamen.Performance;
using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// Join the fastest free chain (JFFC, Algorithm 3 of Sun, He, Hou, arXiv 2604.14993) with its
/// central first-come-first-served queue. The request starts at t* = the earliest time, not before
/// now nor before the latest start already committed (FIFO), at which some composed chain of the
/// placement has a free slot and every server on it has room for the session's cache; among the
/// chains free at t* it takes the one with the smallest modelled time for this request
/// (<see cref="SwarmPerformanceModel"/>, this client and shape; ties to the lower chain index).
/// When a request is free to start now this is "the fastest chain with a free slot"; when all are
/// busy, t* is when the queue's head meets the first freed slot.
/// <para>
/// On a placement that composes no chains (any planner but GBP-CR + GCA), every chain of the
/// routing topology counts, limited only by the servers' cache ledgers: t* is the smallest
/// bottleneck over routes of the hops' earliest starts (one forward pass over block boundaries),
/// and the route is the fastest among hops free at t*. This is the paper's "JFFC only" baseline.
/// </para>
/// </summary>
public sealed class JffcRouter : IRouter
{
    private readonly BlockPlacement _placement;
    private readonly HopCost _cost;

    public JffcRouter(SwarmSpec swarm, BlockPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        _placement = RouterArguments.Check(swarm, placement);
        _cost = new HopCost(new SwarmPerformanceModel(swarm));
    }

    public Route? Choose(RoutingQuery query) => ChooseWithStart(query).Route;

    /// <summary>The chosen chain and the time t* it can start (+infinity and null when none ever can).</summary>
    public (Route? Route, double StartMs) ChooseWithStart(RoutingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var floorMs = Math.Max(query.NowMs, query.State.LatestStartMs);
        return _placement.Chains.Count > 0 ? ChooseComposed(query, floorMs) : ChooseAnyChain(query, floorMs);
    }

    private (Route? Route, double StartMs) ChooseComposed(RoutingQuery query, double floorMs)
    {
        var state = query.State;
        var bytesPerBlock = state.Performance.SessionCacheBytesPerBlock(query.Shape);
        Route? best = null;
        double bestStart = double.PositiveInfinity, bestMs = double.PositiveInfinity;
        for (var k = 0; k < _placement.Chains.Count; k++)
        {
            var route = _placement.Chains[k].Route;
            var start = Math.Max(floorMs, state.EarliestChainSlotMs(k, query.NowMs));
            foreach (var h in route.Hops)
                start = Math.Max(start, state.EarliestStartMs(h.Server, h.StartBlock, h.EndBlock, bytesPerBlock, query.NowMs));
            if (double.IsPositiveInfinity(start) || start > bestStart) continue;
            var ms = route.Hops.Sum(h => _cost.Ms(query.Client, h.Server, h.Blocks, query.Shape));
            if (start < bestStart || ms < bestMs) (best, bestStart, bestMs) = (route, start, ms);
        }
        return (best, bestStart);
    }

    private (Route? Route, double StartMs) ChooseAnyChain(RoutingQuery query, double floorMs)
    {
        var state = query.State;
        var bytesPerBlock = state.Performance.SessionCacheBytesPerBlock(query.Shape);
        var l = _placement.NumBlocks;
        var earliest = new double[_placement.ServerCount, l];
        for (var j = 0; j < _placement.ServerCount; j++)
        {
            var span = _placement.Spans[j];
            for (var p = span.Start; p < span.End; p++)
                earliest[j, p] = Math.Max(floorMs, state.EarliestStartMs(j, p, span.End, bytesPerBlock, query.NowMs));
        }
        // Smallest over routes of the latest hop start: a forward pass in boundary order (hops only move forward).
        var bottleneck = new double[l + 1];
        Array.Fill(bottleneck, double.PositiveInfinity);
        bottleneck[0] = floorMs;
        for (var p = 0; p < l; p++)
        {
            if (double.IsPositiveInfinity(bottleneck[p])) continue;
            for (var j = 0; j < _placement.ServerCount; j++)
            {
                var span = _placement.Spans[j];
                if (span.Contains(p))
                    bottleneck[span.End] = Math.Min(bottleneck[span.End], Math.Max(bottleneck[p], earliest[j, p]));
            }
        }
        var startMs = bottleneck[l];
        if (double.IsPositiveInfinity(startMs)) return (null, startMs);
        var (route, _) = ChainSearch.Cheapest(_placement, (j, start, end) =>
            earliest[j, start] <= startMs ? _cost.Ms(query.Client, j, end - start, query.Shape) : double.PositiveInfinity);
        return (route, startMs);
    }
}
