namespace Stamen.Adapters.Placement;

/// <summary>Baseline: a seeded random order, filled by the same checkpoints and predictor as the greedy.</summary>
public sealed class RandomAdapterPlacer : IAdapterPlacer
{
    public string Name => "random";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = context.Adapters.ToArray();
        new Random(Simulation.SeedStreams.Derive(context.Seed, Simulation.SeedStreams.Planner)).Shuffle(order);
        return CheckpointFill.Fill(Name, order, context);
    }
}
