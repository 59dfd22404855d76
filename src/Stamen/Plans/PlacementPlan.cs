namespace Stamen.Plans;

/// <summary>A planner's output: the placement plus named figures it computed on the way (R, bounds).</summary>
/// <param name="Figures">Results of planning: the same for the same inputs and seed.</param>
public sealed record PlacementPlan(BlockPlacement Placement, IReadOnlyDictionary<string, double> Figures)
{
    /// <summary>Wall-clock figures (a solver's time), apart from <see cref="Figures"/> because they differ run to run.</summary>
    public IReadOnlyDictionary<string, double> Timings { get; init; } = new Dictionary<string, double>();
}
