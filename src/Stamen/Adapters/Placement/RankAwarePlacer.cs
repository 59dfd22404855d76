namespace Stamen.Adapters.Placement;

/// <summary>
/// Baseline in the manner of LoRAServe: rank-aware first-fit. GPUs serve one rank each (no padding of small
/// adapters to a large max rank); adapters, busiest first, go to the first GPU of their rank whose offered token
/// rate stays within that rank's capacity (0.9 x the predicted saturated throughput), with the ladder's slots.
/// </summary>
public sealed class RankAwarePlacer : IAdapterPlacer
{
    public string Name => "rank-aware";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var gpus = new List<GpuAssignment>();
        foreach (var group in context.Adapters.GroupBy(a => a.Rank).OrderByDescending(g => g.Key))
        {
            var capacity = Capacity.SaturatedTokensPerSec(context, group.Key) * 0.9;
            var bins = new List<(List<AdapterDemand> Adapters, double Tokens)>();
            foreach (var a in group.OrderByDescending(a => a.RatePerSec).ThenBy(a => a.Name, StringComparer.Ordinal))
            {
                var tokens = a.RatePerSec * context.TokensPerRequest;
                var bin = bins.FindIndex(b => b.Tokens + tokens <= capacity);
                if (bin < 0)
                {
                    bins.Add(([], 0));
                    bin = bins.Count - 1;
                }
                bins[bin].Adapters.Add(a);
                bins[bin] = (bins[bin].Adapters, bins[bin].Tokens + tokens);
            }
            gpus.AddRange(bins.Select(b => new GpuAssignment(context.DefaultSlots(b.Adapters), b.Adapters)));
        }
        return new AdapterPlacement(Name, gpus, context.PredictedStarved(gpus));
    }
}
