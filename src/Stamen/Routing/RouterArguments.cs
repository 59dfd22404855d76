using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>Constructor checks shared by the routers: the placement must describe this swarm.</summary>
internal static class RouterArguments
{
    public static BlockPlacement Check(SwarmSpec swarm, BlockPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        if (placement.ServerCount != swarm.ServerCount)
            throw new ArgumentException($"Placement has {placement.ServerCount} servers, the swarm {swarm.ServerCount}.", nameof(placement));
        if (placement.NumBlocks != swarm.Model.NumBlocks)
            throw new ArgumentException($"Placement has {placement.NumBlocks} blocks, the model {swarm.Model.NumBlocks}.", nameof(placement));
        return placement;
    }
}
