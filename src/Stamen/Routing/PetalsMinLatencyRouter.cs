using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// PETALS' inference routing, mode "min_latency" (reference section 1): Dijkstra over the chain
/// graph with edge costs
/// client -> first server min(rtt, 5 s)/2 + 18 ms; each further hop min(rtt_next, 5 s)/2 + 18 ms;
/// last server -> client min(rtt, 5 s)/2; tau_j per block processed; +10 s once on a server
/// whose free cache cannot hold the session now; banned servers are excluded.
/// Choices where the model differs from PETALS, written down:
/// rtt is the client-server propagation RTT (<see cref="SwarmDelays.ClientPropagationRttMs"/>),
/// what PETALS' pings measure. PETALS prices server -> next server by the ping between the two
/// servers; in Stamen's hub-spoke model the hidden state goes back through the client, so the
/// next hop uses the client's RTT to the next server. Per block it costs the decode time tau_j,
/// as the published simulator does; PETALS itself uses 1 / inference_rps. PETALS may leave a
/// server mid-span; Stamen's routes run each hop to the end of the server's span (the route
/// model of the reference), so hops are entered at any held block and left at the span end.
/// </summary>
public sealed class PetalsMinLatencyRouter : IRouter
{
    public const double HopOverheadMs = 18;
    public const double MaxRttMs = 5_000;
    public const double NoCachePenaltyMs = 10_000;

    private readonly SwarmSpec _swarm;
    private readonly Placement.Placement _placement;

    public PetalsMinLatencyRouter(SwarmSpec swarm, Placement.Placement placement)
    {
        _swarm = swarm ?? throw new ArgumentNullException(nameof(swarm));
        _placement = RouterArguments.Check(swarm, placement);
    }

    public Route? Choose(RoutingQuery query) => ChooseWithCost(query).Route;

    /// <summary>The route and PETALS' estimate of its latency (ms), penalties included.</summary>
    public (Route? Route, double PathCostMs) ChooseWithCost(RoutingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var state = query.State;
        var cacheBytesPerBlock = state.Performance.SessionCacheBytesPerBlock(query.Shape);
        var l = _placement.NumBlocks;
        return ChainSearch.Cheapest(_placement,
            (j, start, end) =>
            {
                var halfRtt = Math.Min(_swarm.Delays.ClientPropagationRttMs(query.Client, j), MaxRttMs) / 2;
                var cost = halfRtt + HopOverheadMs + (end - start) * _swarm.Servers[j].Times.DecodeMsPerBlock;
                if (end == l) cost += halfRtt;
                if (!state.CanHostNow(j, start, end, cacheBytesPerBlock, query.NowMs)) cost += NoCachePenaltyMs;
                return cost;
            },
            j => !state.IsBanned(j, query.NowMs));
    }
}
