using Stamen.Algorithms;
using Stamen.Placement;

namespace Stamen.Tests.Support;

/// <summary>
/// Catalog entries that scale to the large random swarms of the generic property tests. The exact
/// (MILP) entries solve NP-hard models and have their own tests on small instances
/// (Optimization/SwarmMilpTests, Optimization/MilpPlannerTests).
/// </summary>
internal static class ScalableCatalogs
{
    public static IEnumerable<PlacementCatalogEntry> Planners => PlacementCatalog.All.Where(e => !e.SmallInstancesOnly);

    public static IEnumerable<SwarmAlgorithm> Algorithms => SwarmAlgorithmCatalog.All.Where(a => !a.SmallInstancesOnly);
}
