using Stamen.Plans;

namespace Stamen.Placement;

/// <summary>Decides which contiguous blocks each server holds.</summary>
public interface IPlacementPlanner
{
    PlacementPlan Plan(PlanningContext context);
}
