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
    /// <param name="placement">Spans to route over.</param>
    /// <param name="linkCostMs">(server, startBlock, endBlock) to cost; +infinity or NaN skips the edge.</param>
    /// <param name="usable">Servers allowed at all (null: all).</param>
    public static (Route? Route, double CostMs) Cheapest(BlockPlacement placement, Func<int, int, int, double> linkCostMs, Func<int, bool>? usable = null)
    {
        var l = placement.NumBlocks;
        var cost = new double[l + 1];
        var path = new List<int>?[l + 1];
        Array.Fill(cost, double.PositiveInfinity);
        cost[0] = 0;
        path[0] = [];
        for (var p = 0; p < l; p++)
        {
            if (path[p] is not { } prefix) continue;
            for (var j = 0; j < placement.ServerCount; j++)
            {
                var span = placement.Spans[j];
                if (!span.Contains(p) || (usable is not null && !usable(j))) continue;
                var link = linkCostMs(j, p, span.End);
                if (double.IsNaN(link) || double.IsPositiveInfinity(link)) continue;
                var c = cost[p] + link;
                if (path[span.End] is { } incumbent && !IsBetter(c, prefix, j, cost[span.End], incumbent)) continue;
                cost[span.End] = c;
                path[span.End] = [.. prefix, j];
            }
        }
        if (path[l] is not { } servers) return (null, double.PositiveInfinity);
        return (ToRoute(placement, servers), cost[l]);
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
        for (var p = 0; p < l; p++)
        {
            // Sources at boundary p: the client at 0, else the reached servers whose span ends at p.
            sources.Clear();
            if (p == 0) sources.Add(-1);
            else if (endingAt[p] is { } ending)
                foreach (var i in ending)
                    if (path[i] is not null) sources.Add(i);
            if (sources.Count == 0) continue;
            for (var j = 0; j < n; j++)
            {
                var span = placement.Spans[j];
                if (!span.Contains(p) || (usable is not null && !usable(j))) continue;
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
