using Stamen.Performance;
using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// Online WS-RR (reference section 1, item 6): shortest path where each link also pays the wait
/// for cache space on its server. wait_j = 0 when the server can host the session now, else
/// EarliestStartMs - now; servers that can never host it are skipped. Link cost = wait +
/// <see cref="HopCost"/>, the wait rounded up to PETALS' retry schedule
/// (<see cref="RetrySchedule.RoundUpMs"/>) by default, because a waiting request only starts at a
/// retry (our choice), or raw as the published simulator adds it (<see cref="WsRrWaitCost"/>).
/// Choice where the reference is silent: bans are ignored (WS-RR waits rather than failing an
/// allocation, so it never bans), and the path cost sums the waits of every hop, which is at
/// least the largest wait the request actually serves.
/// </summary>
public sealed class WsRrRouter : IRouter
{
    private readonly BlockPlacement _placement;
    private readonly HopCost _cost;

    public WsRrRouter(SwarmSpec swarm, BlockPlacement placement, HopCostMode mode = HopCostMode.Exact, WsRrWaitCost waitCost = WsRrWaitCost.RetryRounded)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        _placement = RouterArguments.Check(swarm, placement);
        _cost = new HopCost(new SwarmPerformanceModel(swarm), mode);
        WaitCost = waitCost;
    }

    /// <summary>How a link's wait enters its cost.</summary>
    public WsRrWaitCost WaitCost { get; }

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
            if (double.IsPositiveInfinity(wait)) return wait;
            return (WaitCost == WsRrWaitCost.Raw ? wait : RetrySchedule.RoundUpMs(wait)) + _cost.Ms(query.Client, j, end - start, query.Shape);
        });
    }

    /// <summary>wait_j before server <paramref name="server"/> can hold the session's cache for [start, end).</summary>
    public static double WaitMs(ISwarmState state, int server, int start, int end, double cacheBytesPerBlock, double nowMs)
    {
        ArgumentNullException.ThrowIfNull(state);
        // One question, not two: a state can host the session now exactly when its earliest start is now.
        return Math.Max(0, state.EarliestStartMs(server, start, end, cacheBytesPerBlock, nowMs) - nowMs);
    }
}

/// <summary>How WS-RR prices a link's wait for cache space.</summary>
public enum WsRrWaitCost
{
    /// <summary>Each link's wait rounded up to the next PETALS retry time before summing (our choice: a waiting request only starts at a retry).</summary>
    RetryRounded,

    /// <summary>Each link's raw wait (the published simulator); the request still starts at the retry after its largest wait.</summary>
    Raw,
}
