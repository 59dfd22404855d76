using System.Globalization;
using Stamen.Optimization.Flow;
using Stamen.Plans;

namespace Stamen.Helix;

/// <summary>The static max flow of a placement: tokens/s the cluster can carry, and the flow on every used link.</summary>
/// <param name="TokensPerSec">Total flow from the coordinator (prompt and decode tokens per second).</param>
/// <param name="LinkFlows">Flow per directed link that carries any (from, to, tokens/s), in the order the links were given.</param>
public sealed record PlacementFlow(double TokensPerSec, IReadOnlyList<(string From, string To, double TokensPerSec)> LinkFlows);

/// <summary>
/// Helix's throughput of a placement as a max flow (Mei et al., ASPLOS 2025): the coordinator sends
/// tokens to nodes that hold layer 0, a node passes them on to a node whose span starts where its own
/// ends, and nodes holding the last layer return them; node i carries at most T_i(k) tokens/s for the
/// k layers it holds, a link at most its capacity. <see cref="Compute"/> with <c>enterMidSpan</c> also
/// lets a request enter a node anywhere inside its span (as PETALS' routing does), which Helix's
/// published comparison reports separately.
/// </summary>
public static class PlacementMaxFlow
{
    /// <param name="spans">Layers each node holds (empty: none), by node number.</param>
    /// <param name="layers">Layers of the model.</param>
    /// <exception cref="StamenInputException">A node holds more layers than its throughput table covers.</exception>
    public static PlacementFlow Compute(IReadOnlyList<BlockSpan> spans, int layers, HelixThroughputs throughputs, bool enterMidSpan = false)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(throughputs);
        var n = spans.Count;
        // Nodes: 0 source, 1 sink, 2 + 2i node i's entry, 3 + 2i its exit (the edge between carries T_i(k)).
        var network = new FlowNetwork(2 + 2 * n);
        for (var i = 0; i < n; i++)
        {
            if (spans[i].IsEmpty) continue;
            var capacity = throughputs.NodeTokensPerSec(i, spans[i].Count)
                ?? throw new StamenInputException("(placement)", string.Create(CultureInfo.InvariantCulture, $"node {i}"),
                    string.Create(CultureInfo.InvariantCulture, $"holds {spans[i].Count} layers, more than its throughput table covers"), "give the node fewer layers");
            network.AddEdge(2 + 2 * i, 3 + 2 * i, capacity);
        }
        var used = new List<(string From, string To, int Edge)>();
        foreach (var (from, to, tokens) in throughputs.Edges)
        {
            int? tail = null, head = null;
            if (from == HelixCluster.Source && Node(to, n) is { } j && !spans[j].IsEmpty && spans[j].Start == 0) (tail, head) = (0, 2 + 2 * j);
            else if (to == HelixCluster.Sink && Node(from, n) is { } i && !spans[i].IsEmpty && spans[i].End == layers) (tail, head) = (3 + 2 * i, 1);
            else if (Node(from, n) is { } a && Node(to, n) is { } b && a != b && !spans[a].IsEmpty && !spans[b].IsEmpty && Follows(spans[a], spans[b], enterMidSpan))
                (tail, head) = (3 + 2 * a, 2 + 2 * b);
            if (tail is { } t && head is { } h) used.Add((from, to, network.AddEdge(t, h, tokens)));
        }
        var total = network.MaxFlow(0, 1);
        return new PlacementFlow(total, [.. used.Where(u => network.Flow(u.Edge) > FlowNetwork.Epsilon).Select(u => (u.From, u.To, network.Flow(u.Edge)))]);
    }

    /// <summary>
    /// The max flow of a placement when links do not limit it (a swarm model without bandwidth): layer boundaries
    /// 0..L are the nodes, server j an edge of capacity <paramref name="serverTokensPerSec"/>(j) into the boundary
    /// where its span ends, entered at the boundary where it starts (or, with <paramref name="enterMidSpan"/>, at
    /// any boundary inside its span). O(servers x span) edges, so it scales to swarms of thousands.
    /// </summary>
    public static double WithoutLinkLimits(IReadOnlyList<BlockSpan> spans, int layers, Func<int, double> serverTokensPerSec, bool enterMidSpan = true)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(serverTokensPerSec);
        var n = spans.Count;
        // Nodes: 0..L the boundaries, L + 1 + j server j's entry.
        var network = new FlowNetwork(layers + 1 + n);
        for (var j = 0; j < n; j++)
        {
            var span = spans[j];
            if (span.IsEmpty) continue;
            var capacity = serverTokensPerSec(j);
            if (!(capacity > 0)) continue;
            var entry = layers + 1 + j;
            network.AddEdge(entry, span.End, capacity);
            for (var b = span.Start; b < (enterMidSpan ? span.End : span.Start + 1); b++) network.AddEdge(b, entry, capacity);
        }
        return network.MaxFlow(0, layers);
    }

    /// <summary>A request leaving <paramref name="a"/> at its end can continue on <paramref name="b"/>.</summary>
    private static bool Follows(BlockSpan a, BlockSpan b, bool enterMidSpan) =>
        enterMidSpan ? b.Start <= a.End && a.End < b.End : b.Start == a.End;

    private static int? Node(string name, int n) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < n ? i : null;
}
