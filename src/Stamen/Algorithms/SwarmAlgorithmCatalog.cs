using Stamen.Options;
using Stamen.Placement;
using Stamen.Routing;
using Stamen.Simulation.Swarm;

namespace Stamen.Algorithms;

/// <summary>
/// The one table of swarm algorithms. The CLI, scenario validation and the every-algorithm tests
/// all read it; a scenario may also compose its own from catalog parts and their options.
/// </summary>
public static class SwarmAlgorithmCatalog
{
    // Published allocation delays (reference section 1): 250 s for PETALS, 60 s for CG-BP + WS-RR.
    public const double PetalsAllocationMs = 250_000;
    public const double CgBpAllocationMs = 60_000;

    /// <summary>The published simulator's initial delay before every session (reference section 1).</summary>
    public const double PublishedSessionStartMs = 70;

    public static IReadOnlyList<SwarmAlgorithm> All { get; } =
    [
        Alg("petals", "PETALS: its blocks-per-server rule and rebalancing, min-latency routing, fail-fast retries with bans",
            "petals", "petals-min-latency", "fail-fast", PetalsAllocationMs),
        Alg("petals-no-rebalance", "PETALS without rebalancing: servers keep the start they chose when joining",
            "petals-no-rebalance", "petals-min-latency", "fail-fast", PetalsAllocationMs),
        Alg("petals-max-throughput", "PETALS placement with its max-throughput (random, span-weighted) routing",
            "petals", "petals-max-throughput", "fail-fast", PetalsAllocationMs),
        // The paper's baselines as its simulator implements them (docs/model.md, "published vs Stamen").
        Alg("petals-published", "PETALS as the published simulator runs it: no rebalancing, session slots per server, exact-count full test, route once and wait, published fixed delays",
            "petals-published", "petals-min-latency-published", "wait", PetalsAllocationMs) with { FixedDelays = FixedDelaySource.Published },
        Alg("cg-bp+ws-rr-published", "CG-BP + WS-RR as the published simulator runs it: T1 without the allocation delay, raw waits and published link costs, published fixed delays",
            "cg-bp-published", "ws-rr-published", "wait", CgBpAllocationMs) with { FixedDelays = FixedDelaySource.Published },
        // Ablations of the published study: PETALS with one part taken from CG-BP, PETALS' client kept.
        Alg("petals-optimized-order", "Ablation: PETALS placement with servers joining in CG-BP's order; PETALS routing and client",
            "petals-optimized-order", "petals-min-latency", "fail-fast", PetalsAllocationMs),
        Alg("petals-optimized-number", "Ablation: PETALS placement with CG-BP's block counts and cache pools; PETALS routing and client",
            "petals-optimized-number", "petals-min-latency", "fail-fast", PetalsAllocationMs),
        Alg("petals-optimized-routing", "Ablation: PETALS placement with MILP-optimised routes; PETALS client",
            "petals-optimized-routing", "planned-routes", "fail-fast", PetalsAllocationMs),
        Alg("milp", "Exact joint placement and routing (block-level MILP, CP-SAT) for R sessions; follows its routes and waits for cache. Up to about 20 servers",
            "milp", "planned-routes", "wait", CgBpAllocationMs),
        Alg("cg-bprr", "Offline CG-BPRR: conservative greedy placement, fixed shortest-path route per client, waits for cache",
            "cg-bp", "shortest-path", "wait", CgBpAllocationMs),
        Alg("cg-bp+ws-rr", "CG-BP placement with online waiting-penalised shortest-path routing (WS-RR)",
            "cg-bp", "ws-rr", "wait", CgBpAllocationMs),
        // Sun, He, Hou (arXiv 2604.14993) publish no allocation delay; CG-BP's 60 s is our choice.
        Alg("gbp-cr+gca+jffc", "GBP-CR block placement with cache reservation, chains and slots by GCA, join-the-fastest-free-chain from a central FIFO queue (allocation delay: CG-BP's 60 s, our choice)",
            "gbp-cr", "jffc", "central-queue", CgBpAllocationMs),
        // Our composition (reference section 2 publishes the routing mode only): CG-BP placement,
        // CG-BP's 60 s allocation delay and the waiting client, so only the router differs from cg-bp+ws-rr.
        Alg("nsga2-tradeoff", "CG-BP placement with NSGA-II latency/free-capacity trade-off routing (knee point), waits for cache",
            "cg-bp", "tradeoff", "wait", CgBpAllocationMs),
    ];

    public static IEnumerable<string> Names => All.Select(a => a.Name);

    public static SwarmAlgorithm? TryFind(string name) =>
        All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    private static SwarmAlgorithm Alg(string name, string description, string placement, string routing, string admission, double allocationMs) =>
        new(name, description, PlacementCatalog.Planners.Default(placement), RouterCatalog.Routers.Default(routing),
            AdmissionCatalog.Policies.Default(admission), allocationMs);
}
