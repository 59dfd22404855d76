namespace Stamen.Adapters.Placement;

/// <summary>
/// The published greedy: ranks from largest to smallest, adapters of a rank in zig-zag rate order (largest,
/// smallest, second largest, ...) so each GPU mixes busy and quiet adapters, filled by <see cref="CheckpointFill"/>.
/// </summary>
public sealed class GreedyAdapterPlacer : IAdapterPlacer
{
    public string Name => "greedy";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CheckpointFill.Fill(Name, ZigZagByRank(context.Adapters), context);
    }

    /// <summary>Ranks descending; within a rank, rates in zig-zag order (ties by name, so the order is deterministic).</summary>
    public static IReadOnlyList<AdapterDemand> ZigZagByRank(IReadOnlyList<AdapterDemand> adapters)
    {
        var order = new List<AdapterDemand>(adapters.Count);
        foreach (var group in adapters.GroupBy(a => a.Rank).OrderByDescending(g => g.Key))
        {
            var byRate = group.OrderByDescending(a => a.RatePerSec).ThenBy(a => a.Name, StringComparer.Ordinal).ToArray();
            for (int lo = 0, hi = byRate.Length - 1; lo <= hi; lo++, hi--)
            {
                order.Add(byRate[lo]);
                if (hi != lo) order.Add(byRate[hi]);
            }
        }
        return order;
    }
}
