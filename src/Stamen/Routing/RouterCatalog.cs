using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>One router the CLI and scenarios can name.</summary>
/// <param name="Name">Key used in scenarios and on the command line.</param>
/// <param name="Description">One line for help text.</param>
/// <param name="Create">Builds the router for a swarm and its placement.</param>
public sealed record RouterCatalogEntry(string Name, string Description, Func<SwarmSpec, Placement.Placement, IRouter> Create);

/// <summary>
/// Every router, in one table read by the CLI, scenario validation and the every-router tests.
/// </summary>
public static class RouterCatalog
{
    public static IEnumerable<string> Names => All.Select(e => e.Name);

    public static bool Contains(string name) => All.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyList<RouterCatalogEntry> All { get; } =
    [
        new("petals-min-latency", "PETALS inference routing: Dijkstra on rtt/2 + 18 ms per hop, tau per block, 10 s penalty on a full server",
            (s, p) => new PetalsMinLatencyRouter(s, p)),
        new("petals-max-throughput", "PETALS max_throughput: random server per block weighted by span length, jump to its span end",
            (s, p) => new PetalsMaxThroughputRouter(s, p)),
        new("shortest-path", "Offline CG-BPRR: cheapest chain by modelled request time, ignoring live state",
            (s, p) => new ShortestPathRouter(s, p)),
        new("ws-rr", "Online WS-RR: cheapest chain by retry-rounded wait for cache plus modelled request time",
            (s, p) => new WsRrRouter(s, p)),
        new("shortest-path-published-cost", "Offline CG-BPRR with the published link cost l_max * (RTT + tau k)",
            (s, p) => new ShortestPathRouter(s, p, HopCostMode.Published)),
        new("ws-rr-published-cost", "Online WS-RR with the published link cost wait + l_max * (RTT + tau k)",
            (s, p) => new WsRrRouter(s, p, HopCostMode.Published)),
        new("jffc", "Join the fastest free chain: the placement's composed chain (or any chain) free soonest, FIFO, then fastest for the request",
            (s, p) => new JffcRouter(s, p)),
        new("planned-routes", "Follow the planner's routes (the MILP's): the planned chain with the lowest modelled time for the client",
            (swarm, placement) => new PlannedRoutesRouter(swarm, placement)),
        new("tradeoff", "NSGA-II chain front of per-token latency vs bottleneck free sessions, knee point (full servers avoided)",
            (s, p) => new TradeoffRouter(s, p)),
        new("tradeoff-latency", "NSGA-II chain front as `tradeoff`, picking by user weight 0.8 on latency, 0.2 on free sessions",
            (s, p) => new TradeoffRouter(s, p, latencyWeight: 0.8)),
    ];

    /// <summary>The entry named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="StamenInputException">No router has that name; the message lists the valid ones.</exception>
    public static RouterCatalogEntry Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new StamenInputException("(scenario)", "router", $"unknown router '{name}'",
            $"use one of: {string.Join(", ", All.Select(e => e.Name))}");
}
