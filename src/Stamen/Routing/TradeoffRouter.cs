using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// Latency-throughput trade-off routing (reference section 2, Hakim and Hasan): the NSGA-II
/// front of chains by per-token latency and bottleneck free sessions
/// (<see cref="ParetoChainSearch"/>), then one route by <see cref="TradeoffChoice"/>: the knee
/// point, or the user's latency weight. The search seed is one draw from the query's stream, so
/// the twin stays deterministic. Bans are honoured (banned servers are not candidates).
/// </summary>
public sealed class TradeoffRouter : IRouter
{
    private readonly ParetoChainSearch _search;

    /// <param name="latencyWeight">w in [0, 1] for <see cref="TradeoffChoice.Weighted"/>; null picks the knee.</param>
    public TradeoffRouter(SwarmSpec swarm, BlockPlacement placement, double? latencyWeight = null, TradeoffSettings? settings = null)
    {
        if (latencyWeight is { } w && !(w >= 0 && w <= 1))
            throw new ArgumentOutOfRangeException(nameof(latencyWeight), latencyWeight, "The latency weight must be within [0, 1].");
        _search = new ParetoChainSearch(swarm, placement, settings);
        LatencyWeight = latencyWeight;
    }

    /// <summary>The user weight on latency, or null for the knee point.</summary>
    public double? LatencyWeight { get; }

    public Route? Choose(RoutingQuery query)
    {
        if (_search.Front(query) is not { } front) return null;
        var pick = LatencyWeight is { } w ? TradeoffChoice.Weighted(front, w) : TradeoffChoice.Knee(front);
        return front[pick].Route;
    }
}
