using Stamen.Performance;
using Stamen.Routing;
using Stamen.Swarm;

namespace Stamen.Tests.Routing;

/// <summary>
/// An in-memory <see cref="ISwarmState"/> for router tests: each server is free from
/// <see cref="ReadyAtMs"/> on (-infinity: free now, +infinity: never) and may be banned.
/// </summary>
internal sealed class FakeSwarmState(SwarmSpec swarm, Stamen.Placement.Placement placement) : ISwarmState
{
    public SwarmSpec Swarm { get; } = swarm;
    public Stamen.Placement.Placement Placement { get; } = placement;
    public SwarmPerformanceModel Performance { get; } = new(swarm);

    public double[] ReadyAtMs { get; } = Enumerable.Repeat(double.NegativeInfinity, swarm.ServerCount).ToArray();
    public bool[] Banned { get; } = new bool[swarm.ServerCount];

    public bool IsBanned(int server, double nowMs) => Banned[server];

    public bool CanHostNow(int server, int startBlock, int endBlock, double cacheBytesPerBlock, double nowMs) => ReadyAtMs[server] <= nowMs;

    public double EarliestStartMs(int server, int startBlock, int endBlock, double cacheBytesPerBlock, double nowMs) =>
        Math.Max(nowMs, ReadyAtMs[server]);

    /// <summary>The whole pool while the server is free, nothing before <see cref="ReadyAtMs"/> (matches <see cref="CanHostNow"/>).</summary>
    public double FreeCacheBytes(int server, int startBlock, int endBlock, double nowMs) =>
        ReadyAtMs[server] <= nowMs ? Placement.Caches[server].PoolBytes : 0;
}
