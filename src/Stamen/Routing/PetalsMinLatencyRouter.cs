using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// PETALS' inference routing, mode "min_latency" (reference section 1): Dijkstra over
/// (server, block) states with edge costs client -> first server min(rtt(c,j), 5 s)/2 + 18 ms;
/// server i -> next server j min(rtt(i,j), 5 s)/2 + 18 ms, the RTT between the two servers
/// (topology, RTT matrix or <c>server_rtt_ms</c>; 150 ms where unknown), as PETALS pings them;
/// last server -> client min(rtt(c,j), 5 s)/2; tau_j per block processed; +10 s once on a server
/// PETALS counts as full (<see cref="PetalsFullServerTest"/>); banned servers are excluded.
/// RTTs are propagation RTTs (<see cref="SwarmDelays.ClientPropagationRttMs"/>), what PETALS'
/// pings measure. Choices where the model differs from PETALS, written down: per block it costs
/// the decode time tau_j, as the published simulator does (PETALS itself uses 1 / inference_rps);
/// PETALS may leave a server mid-span, while Stamen's routes run each hop to the end of the
/// server's span (the route model of the reference), so hops are entered at any held block and
/// left at the span end.
/// </summary>
public sealed class PetalsMinLatencyRouter : IRouter
{
    public const double HopOverheadMs = 18;
    public const double MaxRttMs = 5_000;
    public const double NoCachePenaltyMs = 10_000;

    private readonly SwarmSpec _swarm;
    private readonly BlockPlacement _placement;
    private readonly double[] _decodeMsPerBlock;

    public PetalsMinLatencyRouter(SwarmSpec swarm, BlockPlacement placement, PetalsFullServerTest fullServer = PetalsFullServerTest.CannotHost)
    {
        _swarm = swarm ?? throw new ArgumentNullException(nameof(swarm));
        _placement = RouterArguments.Check(swarm, placement);
        _decodeMsPerBlock = [.. swarm.Servers.Select(s => s.Times.DecodeMsPerBlock)];
        FullServer = fullServer;
    }

    /// <summary>When a server pays the 10 s no-session penalty.</summary>
    public PetalsFullServerTest FullServer { get; }

    public Route? Choose(RoutingQuery query) => ChooseWithCost(query).Route;

    /// <summary>The route and PETALS' estimate of its latency (ms), penalties included.</summary>
    public (Route? Route, double PathCostMs) ChooseWithCost(RoutingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var state = query.State;
        var cacheBytesPerBlock = state.Performance.SessionCacheBytesPerBlock(query.Shape);
        var delays = _swarm.Delays;
        var l = _placement.NumBlocks;
        var penalised = FullServer == PetalsFullServerTest.ExactCount ? new bool?[_swarm.ServerCount] : null;
        double HopMs(int j, int start, int end)
        {
            var cost = HopOverheadMs + (end - start) * _swarm.Servers[j].Times.DecodeMsPerBlock;
            if (end == l) cost += Math.Min(delays.ClientPropagationRttMs(query.Client, j), MaxRttMs) / 2;
            if (IsFull(state, j, start, end, cacheBytesPerBlock, query.NowMs, penalised)) cost += NoCachePenaltyMs;
            return cost;
        }
        double HalfRttMs(int previous, int j) =>
            Math.Min(previous < 0 ? delays.ClientPropagationRttMs(query.Client, j) : delays.ServerRttMs(previous, j), MaxRttMs) / 2;

        bool Usable(int j) => !state.IsBanned(j, query.NowMs);
        // Without server-to-server RTTs every such hop costs the same, so the previous server does not
        // matter (a hop from the client is exactly one entered at block 0): the boundary search suffices.
        if (!delays.KnowsServerRtts)
        {
            var links = new BoundaryLinks(this, query, cacheBytesPerBlock, penalised);
            return ChainSearch.Cheapest(_placement, ref links);
        }
        return ChainSearch.CheapestAfter(_placement, HopMs, HalfRttMs, Usable);
    }

    /// <summary>
    /// The boundary search's links, the same sums as HopMs plus the half RTT before the hop: a link without the full-server
    /// penalty bounds it from below, so a hop that loses anyway never asks the server's cache.
    /// </summary>
    private readonly struct BoundaryLinks(PetalsMinLatencyRouter router, RoutingQuery query, double cacheBytesPerBlock, bool?[]? penalised) : IChainLinks
    {
        public bool HasLowerBound => true;

        public bool Usable(int server) => !query.State.IsBanned(server, query.NowMs);

        public double LowerBoundMs(int server, int start, int end) => Base(server, start, end) + Before(server, start);

        public double LinkMs(int server, int start, int end)
        {
            var cost = Base(server, start, end);
            if (router.IsFull(query.State, server, start, end, cacheBytesPerBlock, query.NowMs, penalised)) cost += NoCachePenaltyMs;
            return cost + Before(server, start);
        }

        private double Base(int server, int start, int end)
        {
            var cost = HopOverheadMs + (end - start) * router._decodeMsPerBlock[server];
            if (end == router._placement.NumBlocks) cost += Math.Min(router._swarm.Delays.ClientPropagationRttMs(query.Client, server), MaxRttMs) / 2;
            return cost;
        }

        private double Before(int server, int start) =>
            start == 0 ? Math.Min(router._swarm.Delays.ClientPropagationRttMs(query.Client, server), MaxRttMs) / 2 : Math.Min(SwarmDelays.UnknownServerRttMs, MaxRttMs) / 2;
    }

    private bool IsFull(ISwarmState state, int server, int start, int end, double cacheBytesPerBlock, double nowMs, bool?[]? known)
    {
        if (known is null) return !state.CanHostNow(server, start, end, cacheBytesPerBlock, nowMs);
        // The published test looks at the server, not the hop: read once per decision.
        return known[server] ??= state.SessionsNotEnded(server, nowMs) == PublishedSessionLimit(server, cacheBytesPerBlock);
    }

    /// <summary>floor(cache per block / s_c): the session count at which the published simulator calls a server full.</summary>
    public int PublishedSessionLimit(int server, double cacheBytesPerBlock) =>
        (int)Math.Floor(_placement.Caches[server].BytesPerHeldBlock(_placement.Spans[server].Count) / cacheBytesPerBlock);
}

/// <summary>When PETALS' min-latency routing adds its 10 s penalty to a server.</summary>
public enum PetalsFullServerTest
{
    /// <summary>When the hop cannot host the session now (its free cache, reservations counted, is too small): what PETALS' free-cache check means.</summary>
    CannotHost,

    /// <summary>
    /// When the server's sessions not yet ended (waiting ones included) equal floor(cache per block / s_c)
    /// exactly, as the published simulator tests it (a server past that count pays no penalty).
    /// </summary>
    ExactCount,
}
