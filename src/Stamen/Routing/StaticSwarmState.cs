using Stamen.Performance;
using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// A swarm that does not move while a router looks at it: every server idle from <see cref="ReadyAtMs"/>
/// on (free now by default), some perhaps banned, nothing else committed. Offline planning (a route
/// per client before anything runs), the runtime (a registry snapshot: a server with no free session
/// is not ready) and router tests all use this one state; the twin's moving state is
/// <c>Simulation.Swarm.SwarmState</c>.
/// </summary>
public sealed class StaticSwarmState : ISwarmState
{
    public StaticSwarmState(SwarmSpec swarm, BlockPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        ArgumentNullException.ThrowIfNull(placement);
        if (placement.ServerCount != swarm.ServerCount)
            throw new ArgumentException($"placement has {placement.ServerCount} servers, swarm {swarm.ServerCount}", nameof(placement));
        Swarm = swarm;
        Placement = placement;
        Performance = new SwarmPerformanceModel(swarm);
        ReadyAtMs = Enumerable.Repeat(double.NegativeInfinity, swarm.ServerCount).ToArray();
        Banned = new bool[swarm.ServerCount];
    }

    public SwarmSpec Swarm { get; }
    public BlockPlacement Placement { get; }
    public SwarmPerformanceModel Performance { get; }

    /// <summary>Per server, the time from which it can host a session: -infinity (free now, the default) or +infinity (never).</summary>
    public double[] ReadyAtMs { get; }

    /// <summary>Per server, whether the client has banned it.</summary>
    public bool[] Banned { get; }

    public bool IsBanned(int server, double nowMs) => Banned[server];

    public bool CanHostNow(int server, int startBlock, int endBlock, double cacheBytesPerBlock, double nowMs) => ReadyAtMs[server] <= nowMs;

    public double EarliestStartMs(int server, int startBlock, int endBlock, double cacheBytesPerBlock, double nowMs) => Math.Max(nowMs, ReadyAtMs[server]);

    /// <summary>The whole pool once the server is ready (nothing is committed), nothing before (matches <see cref="CanHostNow"/>).</summary>
    public double FreeCacheBytes(int server, int startBlock, int endBlock, double nowMs) =>
        ReadyAtMs[server] <= nowMs ? Placement.Caches[server].PoolBytes : 0;
}
