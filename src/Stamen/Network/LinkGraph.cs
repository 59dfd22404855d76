namespace Stamen.Network;

/// <summary>
/// Directed links with one-way delay and optional bandwidth, reduced to all-pairs end-to-end figures:
/// shortest one-way delay by Dijkstra from every node, RTT = delay there + delay back (2 x one-way
/// when links are symmetric), and the bottleneck bandwidth of the chosen a -> b path (null when a
/// link on it has none). Unreachable pairs are a user error naming both nodes.
/// </summary>
internal sealed class LinkGraph
{
    private readonly List<(int To, double DelayMs, double? BandwidthBytesPerSec)>[] _out;

    public LinkGraph(int nodes)
    {
        _out = new List<(int, double, double?)>[nodes];
        for (var i = 0; i < nodes; i++) _out[i] = [];
    }

    public void AddLink(int from, int to, double delayMs, double? bandwidthBytesPerSec) =>
        _out[from].Add((to, delayMs, bandwidthBytesPerSec));

    /// <summary>RTT (ms) and bottleneck bandwidth (bytes/s) matrices.</summary>
    public (double[,] RttMs, double?[,] BandwidthBytesPerSec) AllPairs(IReadOnlyList<string> names, string source)
    {
        var n = _out.Length;
        var oneWay = new double[n, n];
        var bandwidth = new double?[n, n];
        for (var s = 0; s < n; s++)
        {
            var (dist, bw) = Dijkstra(s);
            for (var t = 0; t < n; t++)
            {
                if (double.IsPositiveInfinity(dist[t]))
                    throw new StamenInputException(source, "edges", $"no path from '{names[s]}' to '{names[t]}'",
                        "connect the network, or remove the isolated nodes");
                oneWay[s, t] = dist[t];
                bandwidth[s, t] = s == t ? null : bw[t];
            }
        }
        var rtt = new double[n, n];
        for (var a = 0; a < n; a++)
            for (var b = 0; b < n; b++)
                rtt[a, b] = a == b ? 0 : oneWay[a, b] + oneWay[b, a];
        return (rtt, bandwidth);
    }

    private (double[] Dist, double?[] Bottleneck) Dijkstra(int source)
    {
        var n = _out.Length;
        var dist = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var bottleneck = new double?[n];
        var done = new bool[n];
        dist[source] = 0;
        bottleneck[source] = double.PositiveInfinity;
        var queue = new PriorityQueue<int, double>();
        queue.Enqueue(source, 0);
        while (queue.TryDequeue(out var u, out _))
        {
            if (done[u]) continue;
            done[u] = true;
            foreach (var (v, delay, bw) in _out[u])
            {
                var d = dist[u] + delay;
                if (d >= dist[v]) continue;
                dist[v] = d;
                bottleneck[v] = bottleneck[u] is { } b && bw is { } l ? Math.Min(b, l) : null;
                queue.Enqueue(v, d);
            }
        }
        return (dist, bottleneck);
    }
}
