using Stamen.Plans;
using Stamen.Routing;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Performance;

/// <summary>
/// The validated PETALS performance model (reference section 1): time of a route, and the cache a
/// session needs on each server. Stateless.
/// </summary>
public sealed class SwarmPerformanceModel(SwarmSpec swarm)
{
    public SwarmSpec Swarm { get; } = swarm ?? throw new ArgumentNullException(nameof(swarm));

    /// <summary>Time of one hop: server processes <paramref name="blocks"/> blocks for the client.</summary>
    public RouteTiming HopTiming(int client, int server, int blocks, RequestShape shape)
    {
        var s = Swarm.Servers[server];
        var first = Swarm.Delays.FirstTokenRttMs(client, server, shape.PromptTokens) + blocks * s.Times.PrefillMsPerBlock(shape.PromptTokens);
        var perToken = Swarm.Delays.PerTokenRttMs(client, server) + blocks * s.Times.DecodeMsPerBlock;
        return new RouteTiming(first, perToken, shape.OutputTokens);
    }

    public RouteTiming Time(Route route, int client, RequestShape shape)
    {
        ArgumentNullException.ThrowIfNull(route);
        double first = 0, perToken = 0;
        foreach (var hop in route.Hops)
        {
            var t = HopTiming(client, hop.Server, hop.Blocks, shape);
            first += t.FirstTokenMs;
            perToken += t.PerTokenMs;
        }
        return new RouteTiming(first, perToken, shape.OutputTokens);
    }

    /// <summary>s_c for this request: cache bytes one block keeps for the session.</summary>
    public double SessionCacheBytesPerBlock(RequestShape shape) =>
        Swarm.Model.SessionCacheBytesPerBlock(shape.PromptTokens, shape.OutputTokens);
}
