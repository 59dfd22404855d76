using Stamen.Options;
using Stamen.Algorithms;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Swarm;
using Stamen.Tests.Placement;
using Stamen.Workload;

namespace Stamen.Tests.Support;

/// <summary>
/// Catalog entries that scale to the large random swarms of the generic property tests. The exact
/// (MILP) entries solve NP-hard models and have their own tests on small instances
/// (Optimization/SwarmMilpTests, Optimization/MilpPlannerTests).
/// </summary>
internal static class ScalableCatalogs
{
    public static IEnumerable<CatalogEntry<IPlacementPlanner>> Planners => PlacementCatalog.All.Where(e => !e.SmallInstancesOnly);

    public static IEnumerable<SwarmAlgorithm> Algorithms => SwarmAlgorithmCatalog.All.Where(a => !a.SmallInstancesOnly);

    /// <summary>
    /// Every scaling planner's plan on the random instance of <paramref name="seed"/>, with the typical
    /// request it was planned for; planners that cannot fit the model there are skipped.
    /// </summary>
    public static IEnumerable<(SwarmSpec Swarm, BlockPlacement Placement, RequestShape Typical)> PlansOnRandomInstance(int seed)
    {
        var swarm = TestSwarms.RandomInstance(seed);
        var context = PlannerPropertyTests.Context(swarm, seed);
        foreach (var planner in Planners)
        {
            PlacementPlan plan;
            try { plan = planner.Create().Plan(context); }
            catch (StamenInputException) { continue; }
            yield return (swarm, plan.Placement, context.Typical);
        }
    }
}
