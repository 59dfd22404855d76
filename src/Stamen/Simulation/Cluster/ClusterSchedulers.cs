using Stamen.Plans;

namespace Stamen.Simulation.Cluster;

/// <summary>Flow a plan's max flow puts on one directed link (tokens/s); -1 is the coordinator.</summary>
public readonly record struct ClusterEdgeFlow(int From, int To, double TokensPerSec);

/// <summary>
/// Helix's scheduler (maxflow-iwrr): the plan's max flow is computed once; every server (and the
/// coordinator) then spreads the requests it passes on over its outgoing links that carry flow, by
/// interleaved weighted round robin with the flows as weights: the next request goes to the link whose load
/// plus the request's work over the link's flow is least (work: prompt tokens; a decode adds 1 / flow).
/// Links carrying under <see cref="MinShare"/> of a server's outgoing flow are not used, and a next server is
/// skipped when the KV the coordinator expects its requests to take, with this one, would leave less than
/// 1 - <see cref="KvHighWaterMark"/> of its capacity (Helix's offline setting: 0.85). A request with no
/// path is refused.
/// </summary>
public sealed class MaxFlowIwrrScheduler : IClusterScheduler
{
    private readonly List<(int To, double Flow, int Slot)>[] _out;
    private readonly double[] _load;
    private readonly List<double> _slotFlow = [];
    private readonly Dictionary<(int, int), int> _slot = [];

    /// <summary>Share of a server's outgoing flow under which Helix drops a link from its rotation.</summary>
    public const double MinShare = 0.05;

    public MaxFlowIwrrScheduler(ClusterSpec cluster, IReadOnlyList<ClusterEdgeFlow> flows, double kvHighWaterMark = 0.85)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(flows);
        if (!(kvHighWaterMark is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(kvHighWaterMark), "Must be in (0, 1].");
        KvHighWaterMark = kvHighWaterMark;
        _out = new List<(int, double, int)>[cluster.Servers.Count + 1];
        for (var i = 0; i < _out.Length; i++) _out[i] = [];
        var total = new double[_out.Length];
        foreach (var f in flows)
            if (f.TokensPerSec > 0 && f.From != f.To) total[f.From + 1] += f.TokensPerSec;
        foreach (var f in flows)
        {
            if (!(f.TokensPerSec > 0) || f.TokensPerSec < MinShare * total[f.From + 1]) continue;
            var slot = _slot.Count;
            if (!_slot.TryAdd((f.From, f.To), slot)) throw new ArgumentException($"Flow on {f.From} -> {f.To} is given twice.", nameof(flows));
            _out[f.From + 1].Add((f.To, f.TokensPerSec, slot));
            _slotFlow.Add(f.TokensPerSec);
        }
        _load = new double[_slot.Count];
    }

    public double KvHighWaterMark { get; }

    public int[]? ChoosePath(ClusterQuery query, IClusterView view, Random random)
    {
        var path = new List<int>();
        var taken = new List<(int Slot, double Add)>();
        var at = ClusterSpec.Coordinator;
        while (path.Count <= view.Cluster.Servers.Count)
        {
            var best = -1;
            var bestScore = double.PositiveInfinity;
            var choices = _out[at + 1];
            for (var c = 0; c < choices.Count; c++)
            {
                var (to, flow, slot) = choices[c];
                if (to != ClusterSpec.Coordinator && !HasRoom(view, to, query)) continue;
                var score = _load[slot] + query.PromptTokens / flow;
                if (score < bestScore) (best, bestScore) = (c, score);
            }
            if (best < 0)
            {
                foreach (var (slot, add) in taken) _load[slot] -= add;
                return null;
            }
            var chosen = choices[best];
            var work = query.PromptTokens / chosen.Flow;
            _load[chosen.Slot] += work;
            taken.Add((chosen.Slot, work));
            if (chosen.To == ClusterSpec.Coordinator) return [.. path];
            path.Add(chosen.To);
            at = chosen.To;
        }
        throw new InvalidOperationException("The flow has a cycle: no path reached the coordinator.");
    }

    public void OnDecode(int[] path)
    {
        var from = ClusterSpec.Coordinator;
        foreach (var to in path.Append(ClusterSpec.Coordinator))
        {
            if (_slot.TryGetValue((from, to), out var slot)) _load[slot] += 1 / _slotFlow[slot];
            from = to;
        }
    }

    private bool HasRoom(IClusterView view, int server, ClusterQuery query)
    {
        var capacity = view.KvCapacity(server);
        var need = (double)query.ExpectedTokens * view.Spans[server].Count;
        return capacity - view.KvExpected(server) - need >= (1 - KvHighWaterMark) * capacity;
    }
}

/// <summary>
/// Helix's Swarm scheduler: each server (and the coordinator) keeps a priority per outgoing link, sends the
/// prompt over the least, and adds that link's running estimate of its hop time to its priority; the estimate
/// (per link, starting at 50 ms) moves by <see cref="Gamma"/> of the way to each time observed: ema = gamma x
/// sample + (1 - gamma) x ema, as Helix's <c>SwarmNode.update_weights</c> does; no KV check.
/// </summary>
public sealed class SwarmEmaScheduler(ClusterSpec cluster, IReadOnlyList<BlockSpan> spans, bool enterMidSpan = false) : IClusterScheduler
{
    private readonly Dictionary<(int, int), double> _priority = [];
    private readonly Dictionary<(int, int), double> _emaMs = [];

    private const double InitialEmaMs = 50;

    public const double Gamma = 0.8;

    public int[]? ChoosePath(ClusterQuery query, IClusterView view, Random random)
    {
        var path = new List<int>();
        var at = ClusterSpec.Coordinator;
        var layer = 0;
        while (layer < cluster.Layers)
        {
            var best = -1;
            var bestPriority = double.PositiveInfinity;
            foreach (var l in cluster.OutLinks(at))
            {
                var to = cluster.Links[l].To;
                if (to == ClusterSpec.Coordinator || !Enters(spans[to], layer, enterMidSpan)) continue;
                var p = _priority.GetValueOrDefault((at, to));
                if (p < bestPriority) (best, bestPriority) = (to, p);
            }
            if (best < 0) return null;
            _priority[(at, best)] = bestPriority + _emaMs.GetValueOrDefault((at, best), InitialEmaMs);
            path.Add(best);
            at = best;
            layer = spans[best].End;
        }
        return cluster.LinkIndex(at, ClusterSpec.Coordinator) >= 0 ? [.. path] : null;
    }

    public void OnHopTime(int sender, int server, double ms) =>
        _emaMs[(sender, server)] = Gamma * ms + (1 - Gamma) * _emaMs.GetValueOrDefault((sender, server), InitialEmaMs);

    /// <summary>A request at <paramref name="layer"/> may enter a server whose span starts there, or (mid-span) holds it.</summary>
    internal static bool Enters(BlockSpan span, int layer, bool enterMidSpan) =>
        !span.IsEmpty && (enterMidSpan ? span.Start <= layer && layer < span.End : span.Start == layer);
}

/// <summary>
/// Helix's naive scheduler: a next server chosen uniformly among those whose span starts where the request is
/// (or, entering mid-span, holds that layer: for placements whose spans overlap, as PETALS' do); no KV check.
/// </summary>
public sealed class RandomHopScheduler(ClusterSpec cluster, IReadOnlyList<BlockSpan> spans, bool enterMidSpan = false) : IClusterScheduler
{
    public int[]? ChoosePath(ClusterQuery query, IClusterView view, Random random)
    {
        var path = new List<int>();
        var at = ClusterSpec.Coordinator;
        var layer = 0;
        var candidates = new List<int>();
        while (layer < cluster.Layers)
        {
            candidates.Clear();
            foreach (var l in cluster.OutLinks(at))
            {
                var to = cluster.Links[l].To;
                if (to != ClusterSpec.Coordinator && SwarmEmaScheduler.Enters(spans[to], layer, enterMidSpan)) candidates.Add(to);
            }
            if (candidates.Count == 0) return null;
            at = candidates[random.Next(candidates.Count)];
            path.Add(at);
            layer = spans[at].End;
        }
        return cluster.LinkIndex(at, ClusterSpec.Coordinator) >= 0 ? [.. path] : null;
    }
}
