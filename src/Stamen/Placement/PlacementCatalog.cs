namespace Stamen.Placement;

/// <summary>One placement planner the CLI and scenarios can name.</summary>
/// <param name="Name">Key used in scenarios and on the command line.</param>
/// <param name="Description">One line for help text.</param>
/// <param name="Create">Builds the planner with its default options.</param>
/// <param name="SmallInstancesOnly">Solves an NP-hard model exactly (the MILP): a few servers and a short model only.</param>
public sealed record PlacementCatalogEntry(string Name, string Description, Func<IPlacementPlanner> Create, bool SmallInstancesOnly = false);

/// <summary>
/// Every placement planner, in one table read by the CLI, scenario validation and the
/// every-planner tests.
/// </summary>
public static class PlacementCatalog
{
    public static IEnumerable<string> Names => All.Select(e => e.Name);

    public static bool Contains(string name) => All.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyList<PlacementCatalogEntry> All { get; } =
    [
        new("petals", "PETALS: fixed 4096-token cache per block, throughput-balancing join, rebalancing",
            () => new PetalsPlacementPlanner()),
        new("petals-no-rebalance", "PETALS join rule only, without rebalancing",
            () => new PetalsPlacementPlanner(new PetalsPlacementOptions { Rebalance = false })),
        new("cg-bp", "CG-BP: conservative block counts for R sessions sized from the load, greedy placement by amortized time",
            () => new CgBpPlanner()),
        new("petals-optimized-order", "Ablation: PETALS' counts and choice rule, servers joining in CG-BP's amortized-time order",
            () => new PetalsPlacementPlanner(new PetalsPlacementOptions { JoinOrder = PetalsJoinOrder.CgBpAmortizedTime })),
        new("milp", "Exact joint placement and routing by MILP (COIN-OR CBC) for R sessions sized as CG-BP does; small instances only",
            () => new MilpPlanner(), SmallInstancesOnly: true),
        new("petals-optimized-routing", "Ablation: PETALS' placement with routes optimised by the MILP",
            () => new MilpPlanner(new MilpPlannerOptions { FixedPlacementFrom = new PetalsPlacementPlanner() }), SmallInstancesOnly: true),
        new("petals-optimized-number", "Ablation: PETALS' choice rule with CG-BP's block counts and cache pools",
            () => new PetalsPlacementPlanner(new PetalsPlacementOptions { BlockCounts = PetalsBlockCounts.CgBp })),
        new("gbp-cr", "GBP-CR + GCA: cache reserved for c sessions per server, fastest servers chained first, then chains with session slots composed greedily",
            () => new GbpCrPlanner()),
    ];

    /// <summary>The entry named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="StamenInputException">No planner has that name; the message lists the valid ones.</exception>
    public static PlacementCatalogEntry Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new StamenInputException("(scenario)", "placement", $"unknown placement planner '{name}'",
            $"use one of: {string.Join(", ", All.Select(e => e.Name))}");
}
