using System.Runtime.CompilerServices;
using Stamen.Plans;

namespace Stamen.Routing;

/// <summary>
/// Cheapest chain over block boundaries 0..L. A hop enters server j at the boundary p where the
/// previous hop ended (a_j &lt;= p &lt; a_j + m_j) and always runs to the end of j's span, so every
/// edge moves forward and the graph is a DAG: one forward pass in boundary order is Dijkstra.
/// Ties go to fewer hops, then to the lexicographically smaller server sequence, so the answer
/// is the same on every run.
/// </summary>
internal static class ChainSearch
{
    /// <summary>Each placement's servers holding each block, ascending: a router searches the same placement at every decision.</summary>
    private static readonly ConditionalWeakTable<BlockPlacement, int[][]> Holders = new();

    private static int[][] HoldersByBlock(BlockPlacement placement) => Holders.GetValue(placement, p =>
    {
        var holders = new List<int>[p.NumBlocks];
        for (var b = 0; b < holders.Length; b++) holders[b] = [];
        for (var j = 0; j < p.ServerCount; j++)
        {
            var span = p.Spans[j];
            for (var b = Math.Max(span.Start, 0); b < Math.Min(span.End, p.NumBlocks); b++) holders[b].Add(j);
        }
        return [.. holders.Select(h => h.ToArray())];
    });

    /// <param name="placement">Spans to route over.</param>
    /// <param name="linkCostMs">(server, startBlock, endBlock) to cost; +infinity or NaN skips the edge.</param>
    /// <param name="usable">Servers allowed at all (null: all).</param>
    public static (Route? Route, double CostMs) Cheapest(BlockPlacement placement, Func<int, int, int, double> linkCostMs, Func<int, bool>? usable = null)
    {
        var links = new DelegateLinks(linkCostMs, usable);
        return Cheapest(placement, ref links);
    }

    /// <summary>
    /// The same search with the link costs of a struct, which the compiler specialises the search for (no delegate call
    /// per edge), and which may give a cheap lower bound on a link: an edge whose bound already loses to the boundary's
    /// best chain is not priced (its exact cost could only lose too).
    /// </summary>
    public static (Route? Route, double CostMs) Cheapest<TLinks>(BlockPlacement placement, ref TLinks links) where TLinks : struct, IChainLinks
    {
        var l = placement.NumBlocks;
        // The best chain to each boundary as its last hop (entered at boundary `from`, on server `via`) and its length: a
        // boundary's chain is final before any hop leaves it, so following the hops back rebuilds it (no list per edge).
        // The arrays are the thread's, taken for this search (a router searches at every decision of a run).
        var scratch = Scratch.Take(l + 1);
        var (cost, from, via, hops) = (scratch.Cost, scratch.From, scratch.Via, scratch.Hops);
        Array.Fill(cost, double.PositiveInfinity, 0, l + 1);
        Array.Fill(hops, -1, 0, l + 1);
        cost[0] = 0;
        hops[0] = 0;
        var holders = HoldersByBlock(placement);
        for (var p = 0; p < l; p++)
        {
            if (hops[p] < 0) continue;
            foreach (var j in holders[p])
            {
                var end = placement.Spans[j].End;
                if (!links.Usable(j)) continue;
                if (links.HasLowerBound && hops[end] >= 0 && cost[p] + links.LowerBoundMs(j, p, end) > cost[end]) continue;
                var link = links.LinkMs(j, p, end);
                if (double.IsNaN(link) || double.IsPositiveInfinity(link)) continue;
                var c = cost[p] + link;
                if (hops[end] >= 0 && !IsBetter(c, p, j, end, cost, from, via, hops)) continue;
                cost[end] = c;
                from[end] = p;
                via[end] = j;
                hops[end] = hops[p] + 1;
            }
        }
        var result = hops[l] < 0 ? (null, double.PositiveInfinity) : (ToRoute(placement, ServersTo(l, from, via, hops)), cost[l]);
        Scratch.Give(scratch);
        return result;
    }

    private readonly struct DelegateLinks(Func<int, int, int, double> linkCostMs, Func<int, bool>? usable) : IChainLinks
    {
        public bool HasLowerBound => false;
        public bool Usable(int server) => usable is null || usable(server);
        public double LowerBoundMs(int server, int start, int end) => double.NegativeInfinity;
        public double LinkMs(int server, int start, int end) => linkCostMs(server, start, end);
    }

    /// <summary>One search's arrays, reused by the next search on the thread (a nested search gets its own).</summary>
    private sealed class Scratch
    {
        [ThreadStatic] private static Scratch? _free;

        public double[] Cost = [];
        public int[] From = [];
        public int[] Via = [];
        public int[] Hops = [];

        public static Scratch Take(int length)
        {
            var s = _free ?? new Scratch();
            _free = null;
            if (s.Cost.Length < length)
            {
                s.Cost = new double[length];
                s.From = new int[length];
                s.Via = new int[length];
                s.Hops = new int[length];
            }
            return s;
        }

        public static void Give(Scratch s) => _free = s;
    }

    /// <summary>The servers of the best chain to <paramref name="boundary"/>, then <paramref name="next"/> when given.</summary>
    private static List<int> ServersTo(int boundary, int[] from, int[] via, int[] hops, int next = -1)
    {
        var servers = new int[hops[boundary] + (next >= 0 ? 1 : 0)];
        if (next >= 0) servers[^1] = next;
        for (int b = boundary, k = hops[boundary] - 1; k >= 0; b = from[b], k--) servers[k] = via[b];
        return [.. servers];
    }

    /// <summary>
    /// Whether reaching <paramref name="end"/> by the chain to <paramref name="boundary"/> and then <paramref name="server"/>, at
    /// <paramref name="newCost"/>, beats the chain there now: cheaper, then fewer hops, then the lexicographically smaller
    /// servers (the sequences are built only for that last, rare tie).
    /// </summary>
    private static bool IsBetter(double newCost, int boundary, int server, int end, double[] cost, int[] from, int[] via, int[] hops)
    {
        if (newCost != cost[end]) return newCost < cost[end];
        if (hops[boundary] + 1 != hops[end]) return hops[boundary] + 1 < hops[end];
        var challenger = ServersTo(boundary, from, via, hops, server);
        var incumbent = ServersTo(end, from, via, hops);
        for (var i = 0; i < incumbent.Count; i++)
            if (challenger[i] != incumbent[i]) return challenger[i] < incumbent[i];
        return false;
    }

    /// <summary>
    /// Cheapest chain when a hop's cost also depends on the server before it (PETALS prices a
    /// server-to-server hop by the RTT between the two). States are "the chain's last server is i"
    /// at the end of i's span, plus the start; every hop moves forward, so visiting boundaries in
    /// order is Dijkstra over (server, block) states. Same tie rules as <see cref="Cheapest"/>.
    /// </summary>
    /// <param name="hopCostMs">(server, startBlock, endBlock) to the part of a hop's cost that does not depend on the server before it; +infinity or NaN skips the edge.</param>
    /// <param name="transitionCostMs">(previous server or -1 for the client, server) to the part that does.</param>
    public static (Route? Route, double CostMs) CheapestAfter(BlockPlacement placement, Func<int, int, int, double> hopCostMs,
        Func<int, int, double> transitionCostMs, Func<int, bool>? usable = null)
    {
        var l = placement.NumBlocks;
        var n = placement.ServerCount;
        var cost = new double[n];
        var path = new List<int>?[n];
        Array.Fill(cost, double.PositiveInfinity);
        var endingAt = new List<int>[l + 1];
        for (var j = 0; j < n; j++)
        {
            var span = placement.Spans[j];
            if (span.IsEmpty || (usable is not null && !usable(j))) continue;
            (endingAt[span.End] ??= []).Add(j);
        }
        var sources = new List<int>();
        var holders = HoldersByBlock(placement);
        for (var p = 0; p < l; p++)
        {
            // Sources at boundary p: the client at 0, else the reached servers whose span ends at p.
            sources.Clear();
            if (p == 0) sources.Add(-1);
            else if (endingAt[p] is { } ending)
                foreach (var i in ending)
                    if (path[i] is not null) sources.Add(i);
            if (sources.Count == 0) continue;
            foreach (var j in holders[p])
            {
                var span = placement.Spans[j];
                if (usable is not null && !usable(j)) continue;
                // The server's own part once per (server, entry block): it may query the live state.
                var hop = hopCostMs(j, p, span.End);
                if (double.IsNaN(hop) || double.IsPositiveInfinity(hop)) continue;
                foreach (var i in sources)
                {
                    var link = hop + transitionCostMs(i, j);
                    List<int> prefix = i < 0 ? [] : path[i]!;
                    var c = (i < 0 ? 0 : cost[i]) + link;
                    if (path[j] is { } incumbent && !IsBetter(c, prefix, j, cost[j], incumbent)) continue;
                    cost[j] = c;
                    path[j] = [.. prefix, j];
                }
            }
        }
        var best = -1;
        foreach (var j in endingAt[l] ?? [])
        {
            if (path[j] is not { } candidate) continue;
            if (best < 0 || IsBetter(cost[j], candidate[..^1], j, cost[best], path[best]!)) best = j;
        }
        if (best < 0) return (null, double.PositiveInfinity);
        return (ToRoute(placement, path[best]!), cost[best]);
    }

    /// <summary>The route through <paramref name="servers"/> in order, each hop running to the end of its server's span.</summary>
    private static Route ToRoute(BlockPlacement placement, List<int> servers)
    {
        var hops = new List<RouteHop>(servers.Count);
        var start = 0;
        foreach (var j in servers)
        {
            hops.Add(new RouteHop(j, start, placement.Spans[j].End));
            start = placement.Spans[j].End;
        }
        return new Route(hops);
    }

    private static bool IsBetter(double cost, List<int> prefix, int server, double incumbentCost, List<int> incumbent)
    {
        if (cost != incumbentCost) return cost < incumbentCost;
        if (prefix.Count + 1 != incumbent.Count) return prefix.Count + 1 < incumbent.Count;
        for (var i = 0; i < incumbent.Count; i++)
        {
            var s = i < prefix.Count ? prefix[i] : server;
            if (s != incumbent[i]) return s < incumbent[i];
        }
        return false;
    }
}

/// <summary>What <see cref="ChainSearch"/> asks about the hops of a chain.</summary>
internal interface IChainLinks
{
    /// <summary>Whether <see cref="LowerBoundMs"/> gives bounds (else it is never called).</summary>
    bool HasLowerBound { get; }

    /// <summary>Whether the server may be used at all.</summary>
    bool Usable(int server);

    /// <summary>At most <see cref="LinkMs"/> as computed in floating point (so cost + bound &lt;= cost + link), and cheaper to compute.</summary>
    double LowerBoundMs(int server, int start, int end);

    /// <summary>The hop's cost on (server, startBlock, endBlock); +infinity or NaN skips the edge.</summary>
    double LinkMs(int server, int start, int end);
}
