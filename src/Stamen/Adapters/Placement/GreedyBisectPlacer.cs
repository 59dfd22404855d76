namespace Stamen.Adapters.Placement;

/// <summary>
/// Ours: the published greedy's order and checkpoints, but a GPU that starves at a checkpoint keeps the most
/// adapters short of it that do not starve (bisection) instead of falling back to the previous checkpoint,
/// which can leave up to half a GPU empty (64 adapters fit, 96 do not: the published rule keeps 64).
/// </summary>
public sealed class GreedyBisectPlacer : IAdapterPlacer
{
    public string Name => "greedy-bisect";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CheckpointFill.Fill(Name, GreedyAdapterPlacer.ZigZagByRank(context.Adapters), context, bisect: true);
    }
}
