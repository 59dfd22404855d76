namespace Stamen.Adapters.Placement;

/// <summary>
/// Baseline in the manner of dLoRA's proactive placement: size the fleet from the total offered token rate and a
/// GPU's predicted capacity, spread adapters busiest first onto the least loaded GPU (longest processing time
/// first), and add a GPU and spread again while the predictor expects any GPU to starve.
/// </summary>
public sealed class ProactivePlacer : IAdapterPlacer
{
    public string Name => "dlora-proactive";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var capacity = Capacity.SaturatedTokensPerSec(context, context.Adapters.Max(a => a.Rank));
        var offered = context.Adapters.Sum(a => a.RatePerSec) * context.TokensPerRequest;
        var count = Math.Max(1, (int)Math.Ceiling(offered / capacity));
        var order = LoadSpreading.BusiestFirst(context.Adapters);
        while (true)
        {
            var bins = LoadSpreading.Spread(order, count);
            var gpus = bins.Select(b => new GpuAssignment(context.DefaultSlots(b), b)).ToArray();
            var starved = gpus.Where(g => context.Predictor.Predict(g.Adapters, g.Slots).Starved).ToArray();
            // An adapter too busy for a GPU of its own starves however many GPUs there are: only shared GPUs call for another.
            if (starved.All(g => g.Adapters.Count == 1) || count >= order.Length) return new AdapterPlacement(Name, gpus, starved.Length);
            count++;
        }
    }
}
