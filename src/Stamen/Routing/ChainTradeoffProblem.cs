using System.Collections.Immutable;
using Stamen.Optimization.Nsga2;
using Stamen.Plans;

namespace Stamen.Routing;

/// <summary>
/// One routing decision as an NSGA-II problem. Genome: one gene per block b, an index into the
/// non-banned servers holding b. Decoding walks from block 0: take the chosen holder of the
/// current block, hop to the end of its span, continue; so every genome is a valid chain and the
/// genes of blocks a chain skips are unused. Objectives (minimised): per-token latency
/// sum RTT(c, j) + tau_j k, and minus the bottleneck free sessions. Constraint violation: bytes
/// missing on hops that cannot hold the session now, so constrained domination prefers chains
/// with room. Free cache is read from the live state at most once per (server, entry block) per
/// decision; the instance lives for one decision only.
/// </summary>
internal sealed class ChainTradeoffProblem : INsga2Problem<ImmutableArray<int>>
{
    private readonly BlockPlacement _placement;
    private readonly int[][] _holders;
    private readonly double[] _perTokenRttMs;
    private readonly double[] _decodeMsPerBlock;
    private readonly ISwarmState _state;
    private readonly double _nowMs;
    private readonly double _sessionBytesPerBlock;
    private readonly double[] _freeShared;
    private readonly double[]?[] _freePerBlockFrom;
    private readonly List<ImmutableArray<int>> _seeds = [];
    private int _seedsHanded;

    private ChainTradeoffProblem(BlockPlacement placement, int[][] holders, double[] perTokenRttMs, double[] decodeMsPerBlock,
        ISwarmState state, double nowMs, double sessionBytesPerBlock)
    {
        _placement = placement;
        _holders = holders;
        _perTokenRttMs = perTokenRttMs;
        _decodeMsPerBlock = decodeMsPerBlock;
        _state = state;
        _nowMs = nowMs;
        _sessionBytesPerBlock = sessionBytesPerBlock;
        _freeShared = new double[placement.ServerCount];
        Array.Fill(_freeShared, double.NaN);
        _freePerBlockFrom = new double[placement.ServerCount][];
        Bounds = new IntegerBounds(new int[holders.Length], holders.Select(h => h.Length - 1).ToArray());
    }

    /// <summary>Gene b ranges over the usable holders of block b.</summary>
    public IntegerBounds Bounds { get; }

    public int ObjectiveCount => 2;

    /// <summary>
    /// The problem for one query, or null when some block has no usable holder. The initial
    /// population starts with two known-good genomes: the lowest-latency chain and a widest
    /// (most free sessions) chain, each a DP over block boundaries.
    /// </summary>
    /// <param name="holders">Servers holding each block, ascending (from the placement).</param>
    /// <param name="decodeMsPerBlock">tau_j per server.</param>
    public static ChainTradeoffProblem? Create(RoutingQuery query, BlockPlacement placement, int[][] holders, double[] decodeMsPerBlock)
    {
        var state = query.State;
        var n = placement.ServerCount;
        var banned = new bool[n];
        var anyBanned = false;
        for (var j = 0; j < n; j++) anyBanned |= banned[j] = state.IsBanned(j, query.NowMs);
        var usable = anyBanned ? new int[holders.Length][] : holders;
        if (anyBanned)
            for (var b = 0; b < holders.Length; b++) usable[b] = [.. holders[b].Where(j => !banned[j])];
        if (usable.Any(h => h.Length == 0)) return null;

        var rtt = new double[n];
        for (var j = 0; j < n; j++) rtt[j] = state.Swarm.Delays.PerTokenRttMs(query.Client, j);
        var problem = new ChainTradeoffProblem(placement, usable, rtt, decodeMsPerBlock, state, query.NowMs,
            state.Performance.SessionCacheBytesPerBlock(query.Shape));
        problem._seeds.Add(problem.Genome(problem.BestChain(widest: false)));
        problem._seeds.Add(problem.Genome(problem.BestChain(widest: true)));
        return problem;
    }

    /// <summary>The seed genomes first (in order), then uniform draws from <see cref="Bounds"/>.</summary>
    public ImmutableArray<int> Random(Random random) =>
        _seedsHanded < _seeds.Count ? _seeds[_seedsHanded++] : Bounds.Sample(random);

    public Evaluation Evaluate(ImmutableArray<int> genome)
    {
        double latency = 0, sessions = double.PositiveInfinity, missing = 0;
        for (var b = 0; b < _holders.Length;)
        {
            var j = Holder(genome, b);
            var end = _placement.Spans[j].End;
            latency += HopLatencyMs(j, b, end);
            var need = NeedBytes(j, b, end);
            var free = FreeBytes(j, b);
            sessions = Math.Min(sessions, free / need);
            if (need > free) missing += need - free;
            b = end;
        }
        return new Evaluation([latency, -sessions], missing);
    }

    /// <summary>The chain a genome names, with its objectives.</summary>
    public TradeoffPoint Decode(ImmutableArray<int> genome)
    {
        var hops = new List<RouteHop>();
        for (var b = 0; b < _holders.Length;)
        {
            var j = Holder(genome, b);
            hops.Add(new RouteHop(j, b, _placement.Spans[j].End));
            b = _placement.Spans[j].End;
        }
        var e = Evaluate(genome);
        return new TradeoffPoint(new Route(hops), e.Objectives[0], -e.Objectives[1], e.ConstraintViolation);
    }

    private int Holder(ImmutableArray<int> genome, int block)
    {
        var h = _holders[block];
        return h[(int)((uint)genome[block] % (uint)h.Length)];
    }

    private double HopLatencyMs(int server, int start, int end) => _perTokenRttMs[server] + ((end - start) * _decodeMsPerBlock[server]);

    private double NeedBytes(int server, int start, int end) => _placement.Caches[server].SessionBytes(end - start, _sessionBytesPerBlock);

    /// <summary>Free bytes of the hop entering <paramref name="server"/> at <paramref name="start"/>, read once per decision.</summary>
    private double FreeBytes(int server, int start)
    {
        var span = _placement.Spans[server];
        if (!_placement.Caches[server].PerBlock)
        {
            if (double.IsNaN(_freeShared[server])) _freeShared[server] = _state.FreeCacheBytes(server, span.Start, span.End, _nowMs);
            return _freeShared[server];
        }
        var fromStart = _freePerBlockFrom[server] ??= Filled(span.Count);
        ref var cached = ref fromStart[start - span.Start];
        if (double.IsNaN(cached)) cached = _state.FreeCacheBytes(server, start, span.End, _nowMs);
        return cached;
    }

    private static double[] Filled(int count)
    {
        var a = new double[count];
        Array.Fill(a, double.NaN);
        return a;
    }

    /// <summary>
    /// DP over block boundaries in order (every hop moves forward). Lowest latency, or else the
    /// largest bottleneck free sessions with latency as the tie-break at each boundary (a widest
    /// chain; the tie-break is greedy, which is enough for a seed). Returns the server entered at
    /// each hop's first block.
    /// </summary>
    private Dictionary<int, int> BestChain(bool widest)
    {
        var l = _holders.Length;
        var latency = new double[l + 1];
        var width = new double[l + 1];
        var entry = new int[l + 1];
        var from = new int[l + 1];
        Array.Fill(latency, double.PositiveInfinity);
        Array.Fill(width, double.NegativeInfinity);
        latency[0] = 0;
        width[0] = double.PositiveInfinity;
        for (var p = 0; p < l; p++)
        {
            if (double.IsPositiveInfinity(latency[p])) continue;
            foreach (var j in _holders[p])
            {
                var end = _placement.Spans[j].End;
                var lat = latency[p] + HopLatencyMs(j, p, end);
                var w = widest ? Math.Min(width[p], FreeBytes(j, p) / NeedBytes(j, p, end)) : 0;
                var better = widest ? w > width[end] || (w == width[end] && lat < latency[end]) : lat < latency[end];
                if (!better) continue;
                latency[end] = lat;
                width[end] = w;
                entry[end] = j;
                from[end] = p;
            }
        }
        var chain = new Dictionary<int, int>();
        for (var at = l; at > 0; at = from[at]) chain[from[at]] = entry[at];
        return chain;
    }

    /// <summary>A genome that decodes to <paramref name="chain"/> (hop start -> server); unused genes 0.</summary>
    private ImmutableArray<int> Genome(Dictionary<int, int> chain)
    {
        var genes = new int[_holders.Length];
        foreach (var (start, server) in chain) genes[start] = Array.IndexOf(_holders[start], server);
        return ImmutableArray.Create(genes);
    }
}
