namespace Stamen.Adapters.Placement;

/// <summary>
/// Baseline: max-backbone, the fewest GPUs memory allows: in rank order, each GPU takes as many adapters as it
/// has slots at the memory limit of its largest rank, with no throughput check.
/// </summary>
public sealed class MaxBackbonePlacer : IAdapterPlacer
{
    public string Name => "max-backbone";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = context.Adapters.OrderByDescending(a => a.Rank).ThenBy(a => a.Name, StringComparer.Ordinal).ToArray();
        var gpus = new List<GpuAssignment>();
        for (var i = 0; i < order.Length;)
        {
            var slots = Math.Max(1, context.MaxSlots(order[i].Rank));
            var take = order.Skip(i).Take(slots).ToArray();
            gpus.Add(new GpuAssignment(Math.Min(slots, take.Length), take));
            i += take.Length;
        }
        return new AdapterPlacement(Name, gpus, context.PredictedStarved(gpus));
    }
}
