using Stamen.Options;
using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>Builds a router for a swarm and its placement.</summary>
public delegate IRouter RouterFactory(SwarmSpec swarm, BlockPlacement placement);

/// <summary>
/// Every router, in one table read by the CLI, scenario validation and the every-router tests.
/// Names that only fix option values are presets of the entry they vary.
/// </summary>
public static class RouterCatalog
{
    private static readonly OptionSpec HopCostSpec = OptionSpec.Choice("hop_cost", "exact", ["exact", "published"],
        "Link cost: the hop's modelled share of the request time (exact), or the published l_max (RTT + tau k), which ignores prefill");

    private static HopCostMode HopCost(OptionValues v) => v.Choice("hop_cost") == "published" ? HopCostMode.Published : HopCostMode.Exact;

    private static readonly CatalogEntry<RouterFactory> PetalsMinLatency = new("petals-min-latency",
        "PETALS inference routing: Dijkstra on rtt/2 + 18 ms per hop (server-to-server RTT between servers), tau per block, 10 s penalty on a full server",
        [
            OptionSpec.Choice("full_server", "cannot-host", ["cannot-host", "exact-count"],
                "When a server pays the 10 s penalty: the hop cannot host the session now (PETALS' free-cache check), or its sessions not ended equal floor(cache per block / s_c) exactly (published simulator)"),
        ],
        v =>
        {
            var test = v.Choice("full_server") == "exact-count" ? PetalsFullServerTest.ExactCount : PetalsFullServerTest.CannotHost;
            return (s, p) => new PetalsMinLatencyRouter(s, p, test);
        });

    private static readonly CatalogEntry<RouterFactory> ShortestPath = new("shortest-path",
        "Offline CG-BPRR: cheapest chain by modelled request time, ignoring live state",
        [HopCostSpec], v => (s, p) => new ShortestPathRouter(s, p, HopCost(v)));

    private static readonly CatalogEntry<RouterFactory> WsRr = new("ws-rr",
        "Online WS-RR: cheapest chain by wait for cache (rounded up to the retry schedule) plus modelled request time",
        [
            HopCostSpec,
            OptionSpec.Choice("wait_cost", "retry-rounded", ["retry-rounded", "raw"],
                "A link's wait in its cost: rounded up to the next PETALS retry time (our choice), or raw (published simulator); the request waits its path's largest wait, rounded"),
        ],
        v =>
        {
            var wait = v.Choice("wait_cost") == "raw" ? WsRrWaitCost.Raw : WsRrWaitCost.RetryRounded;
            return (s, p) => new WsRrRouter(s, p, HopCost(v), wait);
        });

    private static readonly CatalogEntry<RouterFactory> Tradeoff = new("tradeoff",
        "NSGA-II chain front of per-token latency vs bottleneck free sessions, knee point (full servers avoided)",
        [
            OptionSpec.Number("latency_weight", null, 0, 1, "Pick the front's point by this weight on latency (1 - weight on free sessions); auto: the knee point"),
            OptionSpec.WholeNumber("population", TradeoffSettings.Default.PopulationSize, 4, 1_000, "NSGA-II population (mu = lambda)"),
            OptionSpec.WholeNumber("generations", TradeoffSettings.Default.Generations, 0, 1_000, "NSGA-II offspring generations"),
        ],
        v =>
        {
            var settings = new TradeoffSettings(v.WholeNumber("population"), v.WholeNumber("generations"));
            var weight = v.NumberOrNull("latency_weight");
            return (s, p) => new TradeoffRouter(s, p, weight, settings);
        });

    public static Catalog<RouterFactory> Routers { get; } = new("routers", "routers",
    [
        PetalsMinLatency,
        PetalsMinLatency.Preset("petals-min-latency-published", "PETALS min-latency routing with the published simulator's full-server test (sessions equal the per-block limit exactly)",
            ("full_server", "exact-count")),
        new("petals-max-throughput", "PETALS max_throughput: random server per block weighted by span length, jump to its span end",
            [], _ => (s, p) => new PetalsMaxThroughputRouter(s, p)),
        ShortestPath,
        WsRr,
        ShortestPath.Preset("shortest-path-published-cost", "Offline CG-BPRR with the published link cost l_max * (RTT + tau k)", ("hop_cost", "published")),
        WsRr.Preset("ws-rr-published-cost", "Online WS-RR with the published link cost wait + l_max * (RTT + tau k)", ("hop_cost", "published")),
        WsRr.Preset("ws-rr-published", "WS-RR as the published simulator: raw waits plus l_max * (RTT + tau k) per link",
            ("hop_cost", "published"), ("wait_cost", "raw")),
        new("jffc", "Join the fastest free chain: the placement's composed chain (or any chain) free soonest, FIFO, then fastest for the request",
            [], _ => (s, p) => new JffcRouter(s, p)),
        new("planned-routes", "Follow the planner's routes (the MILP's): the planned chain with the lowest modelled time for the client",
            [], _ => (s, p) => new PlannedRoutesRouter(s, p)),
        Tradeoff,
        Tradeoff.Preset("tradeoff-latency", "NSGA-II chain front as `tradeoff`, picking by user weight 0.8 on latency, 0.2 on free sessions", ("latency_weight", "0.8")),
    ]);

    public static IReadOnlyList<CatalogEntry<RouterFactory>> All => Routers.All;

    public static IEnumerable<string> Names => Routers.Names;

    public static bool Contains(string name) => Routers.Contains(name);

    /// <summary>The entry named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="StamenInputException">No router has that name; the message lists the valid ones.</exception>
    public static CatalogEntry<RouterFactory> Find(string name) => Routers.Find(name, "(scenario)", "routing");

    /// <summary>The router <paramref name="choice"/> names, with its options, over <paramref name="placement"/>.</summary>
    public static IRouter Create(ComponentChoice choice, SwarmSpec swarm, BlockPlacement placement) => Routers.Create(choice)(swarm, placement);
}
