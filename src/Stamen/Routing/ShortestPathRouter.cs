using Stamen.Performance;
using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// Offline CG-BPRR routing (reference section 1, item 4): the cheapest chain for the query's
/// client, ignoring the live state (no waits, no bans). Link cost is <see cref="HopCost"/>; with
/// <see cref="HopCostMode.Published"/> it is the paper's l_max * (RTT(c,j) + tau_j k), with the
/// default <see cref="HopCostMode.Exact"/> the route minimises the request's modelled time.
/// Ties: lower cost, then fewer hops, then lower server indices.
/// </summary>
public sealed class ShortestPathRouter : IRouter
{
    private readonly BlockPlacement _placement;
    private readonly HopCost _cost;

    public ShortestPathRouter(SwarmSpec swarm, BlockPlacement placement, HopCostMode mode = HopCostMode.Exact)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        _placement = RouterArguments.Check(swarm, placement);
        _cost = new HopCost(new SwarmPerformanceModel(swarm), mode);
    }

    public Route? Choose(RoutingQuery query) => ChooseWithCost(query).Route;

    /// <summary>The route and its cost (sum of hop costs, ms).</summary>
    public (Route? Route, double PathCostMs) ChooseWithCost(RoutingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ChainSearch.Cheapest(_placement, (j, start, end) => _cost.Ms(query.Client, j, end - start, query.Shape));
    }
}
