using Stamen.Performance;
using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// Follows the routes a planner computed (the placement's chains, e.g. the MILP's): each request
/// takes the planned chain with the lowest modelled time for its client, whatever the live state;
/// the admission policy decides what happens when that chain is full. Ties: lower chain index.
/// A placement without planned chains is routed by the offline shortest path, so the router works
/// with every planner.
/// </summary>
public sealed class PlannedRoutesRouter : IRouter
{
    private readonly BlockPlacement _placement;
    private readonly SwarmPerformanceModel _performance;
    private readonly ShortestPathRouter _fallback;

    public PlannedRoutesRouter(SwarmSpec swarm, BlockPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        _placement = RouterArguments.Check(swarm, placement);
        _performance = new SwarmPerformanceModel(swarm);
        _fallback = new ShortestPathRouter(swarm, placement);
    }

    public Route? Choose(RoutingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_placement.Chains.Count == 0) return _fallback.Choose(query);
        Route? best = null;
        var bestMs = double.PositiveInfinity;
        foreach (var chain in _placement.Chains)
        {
            var ms = _performance.Time(chain.Route, query.Client, query.Shape).TotalMs;
            if (ms < bestMs)
            {
                bestMs = ms;
                best = chain.Route;
            }
        }
        return best;
    }
}
