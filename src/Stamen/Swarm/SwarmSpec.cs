using Stamen.Model;

namespace Stamen.Swarm;

/// <summary>
/// A concrete swarm instance: the model, the servers in join order, the clients, and the resolved
/// delays between them. Planners and routers read only this.
/// </summary>
public sealed record SwarmSpec(ModelSpec Model, IReadOnlyList<ServerSpec> Servers, IReadOnlyList<ClientSpec> Clients, SwarmDelays Delays)
{
    /// <summary>
    /// True when the servers were listed one by one (a recorded deployment or a replay), so their order
    /// is a real join order; false when they were generated from a GPU mix.
    /// </summary>
    public bool ServersListed { get; init; }

    public int ServerCount => Servers.Count;
    public int ClientCount => Clients.Count;
}
