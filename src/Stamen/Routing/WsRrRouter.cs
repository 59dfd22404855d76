using Stamen.Performance;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// Online WS-RR (reference section 1, item 6): shortest path where each link also pays the wait
/// for cache space on its server, rounded up to PETALS' retry schedule
/// (<see cref="RetrySchedule.RoundUpMs"/>), because a waiting request only starts at a retry.
/// wait_j = 0 when the server can host the session now, else EarliestStartMs - now; servers that
/// can never host it are skipped. Link cost = rounded wait + <see cref="HopCost"/>.
/// Choice where the reference is silent: bans are ignored (WS-RR waits rather than failing an
/// allocation, so it never bans), and the path cost sums the waits of every hop, which is at
/// least the largest wait the request actually serves.
/// </summary>
public sealed class WsRrRouter : IRouter
{
    private readonly Placement.Placement _placement;
    private readonly HopCost _cost;

    public WsRrRouter(SwarmSpec swarm, Placement.Placement placement, HopCostMode mode = HopCostMode.Exact)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        _placement = RouterArguments.Check(swarm, placement);
        _cost = new HopCost(new SwarmPerformanceModel(swarm), mode);
    }

    public Route? Choose(RoutingQuery query) => ChooseWithCost(query).Route;

    /// <summary>The route and its path cost: sum over hops of rounded wait + hop cost (ms).</summary>
    public (Route? Route, double PathCostMs) ChooseWithCost(RoutingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var state = query.State;
        var cacheBytesPerBlock = state.Performance.SessionCacheBytesPerBlock(query.Shape);
        return ChainSearch.Cheapest(_placement, (j, start, end) =>
        {
            var wait = WaitMs(state, j, start, end, cacheBytesPerBlock, query.NowMs);
            return double.IsPositiveInfinity(wait) ? wait : RetrySchedule.RoundUpMs(wait) + _cost.Ms(query.Client, j, end - start, query.Shape);
        });
    }

    /// <summary>wait_j before server <paramref name="server"/> can hold the session's cache for [start, end).</summary>
    public static double WaitMs(ISwarmState state, int server, int start, int end, double cacheBytesPerBlock, double nowMs)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.CanHostNow(server, start, end, cacheBytesPerBlock, nowMs)) return 0;
        return Math.Max(0, state.EarliestStartMs(server, start, end, cacheBytesPerBlock, nowMs) - nowMs);
    }
}
