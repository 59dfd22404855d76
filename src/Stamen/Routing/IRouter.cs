using Stamen.Plans;
using Stamen.Workload;

namespace Stamen.Routing;

/// <summary>A request to route: who asks, how long it is, when, and the live state.</summary>
/// <param name="Client">Client index.</param>
/// <param name="Shape">Prompt and output lengths.</param>
/// <param name="NowMs">Simulated time of the decision.</param>
/// <param name="State">Live swarm state.</param>
/// <param name="Random">Random stream for routers that sample (seeded by the twin).</param>
public sealed record RoutingQuery(int Client, RequestShape Shape, double NowMs, ISwarmState State, Random Random);

/// <summary>Chooses a chain of servers for one request; null when no chain covers the model.</summary>
public interface IRouter
{
    Route? Choose(RoutingQuery query);
}
