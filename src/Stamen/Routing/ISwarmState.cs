using Stamen.Performance;
using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>What a router may see of the running swarm: static plan plus current cache state.</summary>
public interface ISwarmState
{
    SwarmSpec Swarm { get; }
    BlockPlacement Placement { get; }
    SwarmPerformanceModel Performance { get; }

    /// <summary>True if the client has banned this server after a failed allocation (PETALS).</summary>
    bool IsBanned(int server, double nowMs);

    /// <summary>True if the server can hold a session's cache for blocks [start, end) right now.</summary>
    bool CanHostNow(int server, int startBlock, int endBlock, double cacheBytesPerBlock, double nowMs);

    /// <summary>
    /// Earliest time at or after <paramref name="nowMs"/> from which the server can hold the session's
    /// cache until the session ends, given every commitment already made; +infinity if never.
    /// </summary>
    double EarliestStartMs(int server, int startBlock, int endBlock, double cacheBytesPerBlock, double nowMs);

    /// <summary>
    /// Earliest time at or after <paramref name="nowMs"/> from which composed chain
    /// <paramref name="chain"/> (an index into <see cref="BlockPlacement.Chains"/>) has a free
    /// session slot, counting every session committed to it that ends after that time; +infinity
    /// for a chain without slots. The default, for states that track no chain sessions (test
    /// fakes), reports a slot free now.
    /// </summary>
    double EarliestChainSlotMs(int chain, double nowMs) => nowMs;

    /// <summary>
    /// Latest start among the sessions committed so far (-infinity before the first): a
    /// first-come-first-served dispatcher starts no request before it. The default reports -infinity.
    /// </summary>
    double LatestStartMs => double.NegativeInfinity;

    /// <summary>
    /// Cache bytes free now for blocks [start, end), counting every commitment that ends after now
    /// (future reservations included; the rule <see cref="CanHostNow"/> uses). Shared pool: the
    /// pool's free bytes; per-block pools: the least free block. A session needing x bytes (x per
    /// block for per-block pools) fits now when x &lt;= this, up to the order of float additions.
    /// Routers that price a chain by its spare room read it (<see cref="TradeoffRouter"/>).
    /// </summary>
    double FreeCacheBytes(int server, int startBlock, int endBlock, double nowMs);

    /// <summary>
    /// Sessions on <paramref name="server"/> that have not ended by <paramref name="nowMs"/>, those
    /// reserved to start later included (PETALS' published "active sessions, waiting ones included").
    /// Stateless views (offline planning, test fakes) report 0.
    /// </summary>
    int SessionsNotEnded(int server, double nowMs) => 0;
}
