using Stamen.Options;

namespace Stamen.Adapters.Placement;

/// <summary>Every adapter placement method, by name (the generic catalog; `stamen catalog adapter-placers` lists it).</summary>
public static class AdapterPlacerCatalog
{
    public static Catalog<IAdapterPlacer> Placers { get; } = new("adapter placers", "adapter-placers",
    [
        new("greedy", "Published greedy: ranks largest first, adapters in zig-zag rate order, GPUs filled to the predictor's checkpoints", [],
            _ => new GreedyAdapterPlacer()),
        new("greedy-bisect", "Ours: the greedy, but a GPU that starves at a checkpoint keeps the most adapters short of it that do not (bisection)", [],
            _ => new GreedyBisectPlacer()),
        new("random", "Baseline: a seeded random order, filled by the greedy's checkpoints and predictor", [], _ => new RandomAdapterPlacer()),
        new("max-backbone", "Baseline: the fewest GPUs memory allows, with no throughput check", [], _ => new MaxBackbonePlacer()),
        new("rank-aware", "Baseline in the manner of LoRAServe: one rank per GPU, first fit within 0.9 of the predicted capacity", [],
            _ => new RankAwarePlacer()),
        new("dlora-proactive", "Baseline in the manner of dLoRA: fleet sized from the offered rate, busiest first onto the least loaded GPU", [],
            _ => new ProactivePlacer()),
        new("balanced", "Ours: from the lower bound, busiest first onto the least loaded GPU, a GPU added while any would starve", [],
            _ => new BalancedPlacer()),
    ]);

    /// <summary>Every method, in listing order.</summary>
    public static IReadOnlyList<IAdapterPlacer> All { get; } = [.. Placers.All.Select(e => e.Create())];

    public static IReadOnlyList<string> Names => [.. Placers.Names];

    /// <summary>The method called <paramref name="name"/> (case-insensitive), or an input error listing the names.</summary>
    public static IAdapterPlacer Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Placers.Find(name.Trim(), "adapters", "method").Create();
    }
}
