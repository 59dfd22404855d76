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
        var penalised = FullServer == PetalsFullServerTest.ExactCount ? new bool?[_swarm.ServerCount] : null;
        var links = new Links(this, query, cacheBytesPerBlock, penalised);
        // Without server-to-server RTTs every such hop costs the same, so the previous server does not
        // matter (a hop from the client is exactly one entered at block 0): the boundary search suffices.
        if (!_swarm.Delays.KnowsServerRtts) return ChainSearch.Cheapest(_placement, ref links);
        double HalfRttMs(int previous, int j) => previous < 0 ? links.ClientHalfRttMs(j) : Math.Min(_swarm.Delays.ServerRttMs(previous, j), MaxRttMs) / 2;
        return ChainSearch.CheapestAfter(_placement, links.HopMs, HalfRttMs, links.Usable);
    }

    /// <summary>
    /// One decision's hop costs. The boundary search adds the half RTT before a hop to it; there the hop's cost without the
    /// full-server penalty bounds the link from below, so a hop that loses anyway never asks the server's cache.
    /// </summary>
    private readonly struct Links(PetalsMinLatencyRouter router, RoutingQuery query, double cacheBytesPerBlock, bool?[]? penalised) : IChainLinks
    {
        public bool HasLowerBound => true;

        public bool Usable(int server) => !query.State.IsBanned(server, query.NowMs);

        public double LowerBoundMs(int server, int start, int end) => BaseMs(server, start, end) + BeforeMs(server, start);

        public double LinkMs(int server, int start, int end) => HopMs(server, start, end) + BeforeMs(server, start);

        /// <summary>Entry overhead, tau per block, the half RTT back to the client after the last block, and the penalty on a full server.</summary>
        public double HopMs(int server, int start, int end)
        {
            var cost = BaseMs(server, start, end);
            if (router.IsFull(query.State, server, start, end, cacheBytesPerBlock, query.NowMs, penalised)) cost += NoCachePenaltyMs;
            return cost;
        }

        public double ClientHalfRttMs(int server) => Math.Min(router._swarm.Delays.ClientPropagationRttMs(query.Client, server), MaxRttMs) / 2;

        private double BaseMs(int server, int start, int end)
        {
            var cost = HopOverheadMs + (end - start) * router._decodeMsPerBlock[server];
            if (end == router._placement.NumBlocks) cost += ClientHalfRttMs(server);
            return cost;
        }

        private double BeforeMs(int server, int start) => start == 0 ? ClientHalfRttMs(server) : Math.Min(SwarmDelays.UnknownServerRttMs, MaxRttMs) / 2;
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
