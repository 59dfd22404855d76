using Stamen.Plans;
using Stamen.Routing;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Optimization.SwarmMilp;

/// <summary>
/// A group of identical concurrent requests from one client that the MILP routes together; with
/// <see cref="Count"/> = 1 every request has its own route variables, as in the published model.
/// </summary>
/// <param name="Client">Client index.</param>
/// <param name="Count">Concurrent sessions of this group (each holds cache on its path).</param>
/// <param name="Weight">Weight of one session's per-token time in the objective.</param>
public sealed record RequestGroup(int Client, int Count, double Weight);

/// <summary>
/// What the joint placement-and-routing MILP decides over (reference section 1, item 7): the swarm,
/// the session cache size s_c, the request groups, and optionally a fixed placement (then only the
/// routing is optimised: the "optimized routing" ablation).
/// </summary>
/// <param name="Swarm">Servers, clients, delays.</param>
/// <param name="SessionCacheBytesPerBlock">s_c of the typical request.</param>
/// <param name="Groups">Requests to route.</param>
/// <param name="FixedSpans">A placement to keep, or null to optimise it too.</param>
/// <param name="CacheBytesAvailable">Per server, cache memory a fixed placement leaves (null: M_j - s_m m_j).</param>
public sealed record SwarmMilpInstance(
    SwarmSpec Swarm,
    double SessionCacheBytesPerBlock,
    IReadOnlyList<RequestGroup> Groups,
    IReadOnlyList<BlockSpan>? FixedSpans = null,
    IReadOnlyList<double>? CacheBytesAvailable = null)
{
    /// <summary>
    /// Plans to start the search from (a heuristic's placement with one route per group): the block formulation
    /// hands the best one that is a point of its model to the solver as a MIP start, and skips the others; the
    /// link formulation ignores them.
    /// </summary>
    public IReadOnlyList<SwarmMilpStart> Starts { get; init; } = [];
}

/// <summary>A known plan to warm-start the search: spans per server and one route per request group.</summary>
/// <param name="Name">Where it came from (e.g. the heuristic's name), for reports.</param>
public sealed record SwarmMilpStart(string Name, IReadOnlyList<BlockSpan> Spans, IReadOnlyList<Route> Routes)
{
    /// <summary>
    /// A placement with each group routed alone by the offline per-token shortest path (the published link cost, as
    /// CG-BPRR routes): a heuristic's plan in the MILP's terms. Null when some group has no route.
    /// </summary>
    public static SwarmMilpStart? ShortestPaths(string name, SwarmSpec swarm, BlockPlacement placement, IReadOnlyList<RequestGroup> groups, RequestShape typical)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var router = new ShortestPathRouter(swarm, placement, HopCostMode.Published);
        var state = new StaticSwarmState(swarm, placement);
        var routes = new List<Route>(groups.Count);
        foreach (var g in groups)
        {
            if (router.Choose(new RoutingQuery(g.Client, typical, 0, state, new Random(0))) is not { } route) return null;
            routes.Add(route);
        }
        return new SwarmMilpStart(name, placement.Spans, routes);
    }
}
