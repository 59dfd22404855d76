namespace Stamen.Plans;

/// <summary>Which blocks each server holds and how much cache it has, in the swarm's server order.</summary>
public sealed record BlockPlacement(int NumBlocks, IReadOnlyList<BlockSpan> Spans, IReadOnlyList<CacheBudget> Caches)
{
    public int ServerCount => Spans.Count;

    /// <summary>
    /// Server chains composed by the planner, with their session slots (empty unless the planner
    /// composes chains, as GBP-CR + GCA does). Routers that dispatch onto explicit chains read them;
    /// the twin counts each chain's sessions against its slots.
    /// </summary>
    public IReadOnlyList<ComposedChain> Chains { get; init; } = [];

    /// <summary>Indices of servers holding <paramref name="block"/>.</summary>
    public IEnumerable<int> ServersHolding(int block)
    {
        for (var j = 0; j < Spans.Count; j++)
            if (Spans[j].Contains(block)) yield return j;
    }

    /// <summary>First block held by no server, or null when every block is covered.</summary>
    public int? FirstUncoveredBlock()
    {
        var covered = new bool[NumBlocks];
        foreach (var s in Spans)
            for (var b = s.Start; b < s.End; b++) covered[b] = true;
        var missing = Array.IndexOf(covered, false);
        return missing < 0 ? null : missing;
    }
}
