using Stamen.Options;

namespace Stamen.Placement;

/// <summary>
/// Every placement planner, in one table read by the CLI, scenario validation and the
/// every-planner tests. Names that only fix option values (petals-no-rebalance,
/// petals-published, ...) are presets of the entry they vary.
/// </summary>
public static class PlacementCatalog
{
    private static readonly CatalogEntry<IPlacementPlanner> Petals = new("petals",
        "PETALS: fixed 4096-token cache per block, throughput-balancing join, rebalancing",
        PetalsPlacementOptions.Specs, v => new PetalsPlacementPlanner(PetalsPlacementOptions.From(v)));

    private static readonly CatalogEntry<IPlacementPlanner> CgBp = new("cg-bp",
        "CG-BP: conservative block counts for R sessions sized from the load, greedy placement by amortized time",
        CgBpOptions.Specs, v => new CgBpPlanner(CgBpOptions.From(v)));

    private static readonly IReadOnlyList<OptionSpec> MilpSpecs =
    [
        OptionSpec.Number("time_limit_s", 20, 0.1, 3600, "Wall-time limit of one solve; past it the best incumbent is used and its gap reported", "s"),
        OptionSpec.WholeNumber("max_link_variables", 2_000, 1, 1_000_000, "Link formulation only: refuse models with more link binaries than this (request groups x servers^2)"),
        OptionSpec.WholeNumber("max_variables", 200_000, 1, 10_000_000, "Block formulation only: refuse models with more variables than this (servers x blocks x (2 + 2 x clients))"),
        OptionSpec.Choice("formulation", "block", ["block", "link"], "block: binaries per server and block, tight (proves 20 servers); link: the first, big-M formulation over server-to-server links"),
        OptionSpec.Choice("solver", "cp-sat", ["cp-sat", "scip", "ortools-cbc", "cbc"],
            "cp-sat (OR-Tools), scip or ortools-cbc (OR-Tools' MIP solvers), or cbc (Debian's libCbcSolver)"),
        OptionSpec.Flag("warm_start", true, "Start from the best heuristic plan (CG-BP's or PETALS' placement, shortest-path routes) that fits the model"),
        OptionSpec.WholeNumber("threads", 1, 1, 64, "Solver threads: 1 is reproducible, more may be faster and return another optimum"),
    ];

    private static MilpPlannerOptions Milp(OptionValues v) => new()
    {
        TimeLimitSeconds = v.Number("time_limit_s"),
        MaxLinkVariables = v.WholeNumber("max_link_variables"),
        MaxVariables = v.WholeNumber("max_variables"),
        Formulation = v.Choice("formulation"),
        Solver = v.Choice("solver"),
        WarmStart = v.Bool("warm_start"),
        Threads = v.WholeNumber("threads"),
    };

    public static Catalog<IPlacementPlanner> Planners { get; } = new("placement planners", "placements",
    [
        Petals,
        Petals.Preset("petals-no-rebalance", "PETALS join rule only, without rebalancing", ("rebalance", "false")),
        Petals.Preset("petals-published", "PETALS as the published simulator implements it: no rebalancing, one pool of session slots per server, exact throughput comparisons",
            ("rebalance", "false"), ("cache_pool", "server-slots"), ("tie_tolerance", "0")) with { Reproduction = true },
        CgBp,
        CgBp.Preset("cg-bp-published", "CG-BP as the published simulator sizes R: T1 with the initial delay only, routed by the published link cost",
            ("t1_delays", "initial-only"), ("t1_hop_cost", "published")) with { Reproduction = true },
        Petals.Preset("petals-optimized-order", "Ablation: PETALS' counts and choice rule, servers joining in CG-BP's amortized-time order", ("join_order", "cg-bp")),
        new("milp", "Exact joint placement and routing by MILP (CP-SAT by default) for R sessions sized as CG-BP does; up to about 20 servers",
            MilpSpecs, v => new MilpPlanner(Milp(v))) { SmallInstancesOnly = true },
        new("petals-optimized-routing", "Ablation: PETALS' placement with routes optimised by the MILP",
            MilpSpecs, v => new MilpPlanner(Milp(v) with { FixedPlacementFrom = new PetalsPlacementPlanner() })) { SmallInstancesOnly = true },
        Petals.Preset("petals-optimized-number", "Ablation: PETALS' choice rule with CG-BP's block counts and cache pools", ("block_counts", "cg-bp")),
        new("gbp-cr", "GBP-CR + GCA: cache reserved for c sessions per server, fastest servers chained first, then chains with session slots composed greedily",
            [
                OptionSpec.WholeNumber("reservation", null, 1, 1_000_000, "Reserve cache for exactly c sessions per server (auto: the paper's Eq. 9)", "sessions"),
                OptionSpec.Number("target_load", 0.7, 1e-3, 1, "rho-bar: chains are added until their service rate reaches lambda / rho-bar"),
            ],
            v => new GbpCrPlanner(new GbpCrOptions { FixedReservation = v.WholeNumberOrNull("reservation"), TargetLoad = v.Number("target_load") })),
    ]);

    public static IReadOnlyList<CatalogEntry<IPlacementPlanner>> All => Planners.All;

    public static IEnumerable<string> Names => Planners.Names;

    public static bool Contains(string name) => Planners.Contains(name);

    /// <summary>The entry named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="StamenInputException">No planner has that name; the message lists the valid ones.</exception>
    public static CatalogEntry<IPlacementPlanner> Find(string name) => Planners.Find(name, "(scenario)", "placement");
}
