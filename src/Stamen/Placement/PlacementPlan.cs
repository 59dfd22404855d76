namespace Stamen.Placement;

/// <summary>A planner's output: the placement plus named figures it computed on the way (R, bounds).</summary>
public sealed record PlacementPlan(Placement Placement, IReadOnlyDictionary<string, double> Figures);
