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
    public static (Route? Route, double CostMs) Cheapest(Placement.Placement placement, Func<int, int, int, double> linkCostMs, Func<int, bool>? usable = null)
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
        var hops = new List<RouteHop>(servers.Count);
        var start = 0;
        foreach (var j in servers)
        {
            hops.Add(new RouteHop(j, start, placement.Spans[j].End));
            start = placement.Spans[j].End;
        }
        return (new Route(hops), cost[l]);
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
