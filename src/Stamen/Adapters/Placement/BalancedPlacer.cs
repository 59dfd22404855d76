namespace Stamen.Adapters.Placement;

/// <summary>
/// Ours: balanced. Start from the lower bound on GPUs and spread the adapters busiest first onto the least loaded
/// GPU (longest processing time first, by request rate: offered tokens at the workload's lengths); give each GPU the ladder's slot count if the predictor
/// expects it to keep up, else the best other count within memory; while any GPU would starve, add one GPU and
/// spread again. Every GPU carries about the same load, which is what a GPU's capacity depends on most.
/// </summary>
public sealed class BalancedPlacer : IAdapterPlacer
{
    public string Name => "balanced";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = LoadSpreading.BusiestFirst(context.Adapters);
        var count = GpuLowerBound.Compute(context.Adapters, context.Twin).Gpus;
        while (true)
        {
            var bins = LoadSpreading.Spread(order, count);
            var gpus = new List<GpuAssignment>();
            var starved = 0;
            var starvedShared = 0;
            foreach (var bin in bins)
            {
                var slots = BestSlots(bin, context);
                if (slots is null)
                {
                    starved++;
                    if (bin.Count > 1) starvedShared++;
                }
                gpus.Add(new GpuAssignment(slots ?? context.DefaultSlots(bin), bin));
            }
            // An adapter too busy for a GPU of its own starves however many GPUs there are: only shared GPUs call for another.
            if (starvedShared == 0 || count >= order.Length) return new AdapterPlacement(Name, gpus, starved);
            count++;
        }
    }

    /// <summary>The default slot count when it keeps up, else the non-starving ladder value with the most throughput, else null.</summary>
    private static int? BestSlots(List<AdapterDemand> adapters, AdapterPlacementContext context)
    {
        var preferred = context.DefaultSlots(adapters);
        if (!context.Predictor.Predict(adapters, preferred).Starved) return preferred;
        var limit = Math.Min(context.MaxSlots(adapters.Max(a => a.Rank)), adapters.Count);
        int? best = null;
        var bestThroughput = double.NegativeInfinity;
        foreach (var s in SlotLadder.UpTo(limit).Where(s => s != preferred))
        {
            var p = context.Predictor.Predict(adapters, s);
            if (!p.Starved && p.ThroughputTokensPerSec > bestThroughput) (best, bestThroughput) = (s, p.ThroughputTokensPerSec);
        }
        return best;
    }
}
