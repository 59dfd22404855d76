namespace Stamen.Optimization.Flow;

/// <summary>
/// A directed network with real capacities and its maximum flow by Dinic's algorithm (BFS levels,
/// DFS blocking flows): O(V^2 E) at worst, milliseconds for the few hundred nodes and thousands of
/// edges of a cluster's placement graph. Written here because no maintained .NET library served
/// here offers max flow; it is tested against brute-force minimum cuts. Capacities below
/// <see cref="Epsilon"/> count as saturated, so floating-point residue cannot loop the search.
/// </summary>
public sealed class FlowNetwork
{
    /// <summary>Residual capacity treated as zero.</summary>
    public const double Epsilon = 1e-9;

    private readonly List<int>[] _adjacent;
    private readonly List<(int To, double Capacity, double Flow)> _edges = [];

    public FlowNetwork(int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 2);
        _adjacent = new List<int>[nodes];
        for (var v = 0; v < nodes; v++) _adjacent[v] = [];
    }

    public int NodeCount => _adjacent.Length;

    /// <summary>Adds edge <paramref name="from"/> -> <paramref name="to"/>; returns its id for <see cref="Flow"/>.</summary>
    public int AddEdge(int from, int to, double capacity)
    {
        if ((uint)from >= (uint)NodeCount || (uint)to >= (uint)NodeCount) throw new ArgumentOutOfRangeException(nameof(from), "node out of range");
        if (!(capacity >= 0) || double.IsNaN(capacity)) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be 0 or more");
        var id = _edges.Count;
        _edges.Add((to, capacity, 0));
        _adjacent[from].Add(id);
        _edges.Add((from, 0, 0));
        _adjacent[to].Add(id + 1);
        return id;
    }

    /// <summary>Flow on edge <paramref name="edge"/> after <see cref="MaxFlow"/>.</summary>
    public double Flow(int edge) => _edges[edge].Flow;

    /// <summary>The maximum flow from <paramref name="source"/> to <paramref name="sink"/> (infinite when an infinite path exists).</summary>
    public double MaxFlow(int source, int sink)
    {
        if (source == sink) throw new ArgumentException("source and sink must differ", nameof(sink));
        double total = 0;
        var level = new int[NodeCount];
        var next = new int[NodeCount];
        while (Levels(source, sink, level))
        {
            Array.Clear(next);
            double pushed;
            while ((pushed = Push(source, sink, double.PositiveInfinity, level, next)) > Epsilon)
            {
                if (double.IsPositiveInfinity(pushed)) return double.PositiveInfinity;
                total += pushed;
            }
        }
        return total;
    }

    private double Residual(int edge) => _edges[edge].Capacity - _edges[edge].Flow;

    private bool Levels(int source, int sink, int[] level)
    {
        Array.Fill(level, -1);
        level[source] = 0;
        var queue = new Queue<int>();
        queue.Enqueue(source);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var e in _adjacent[v])
            {
                var to = _edges[e].To;
                if (level[to] >= 0 || Residual(e) <= Epsilon) continue;
                level[to] = level[v] + 1;
                queue.Enqueue(to);
            }
        }
        return level[sink] >= 0;
    }

    private double Push(int v, int sink, double limit, int[] level, int[] next)
    {
        if (v == sink) return limit;
        for (; next[v] < _adjacent[v].Count; next[v]++)
        {
            var e = _adjacent[v][next[v]];
            var to = _edges[e].To;
            if (level[to] != level[v] + 1 || Residual(e) <= Epsilon) continue;
            var pushed = Push(to, sink, Math.Min(limit, Residual(e)), level, next);
            if (pushed <= Epsilon) continue;
            if (!double.IsPositiveInfinity(pushed))
            {
                _edges[e] = _edges[e] with { Flow = _edges[e].Flow + pushed };
                _edges[e ^ 1] = _edges[e ^ 1] with { Flow = _edges[e ^ 1].Flow - pushed };
            }
            return pushed;
        }
        return 0;
    }
}
