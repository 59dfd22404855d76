using Stamen.Performance;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Swarm;

namespace Stamen.Simulation.Swarm;

/// <summary>
/// The live swarm as one client sees it: the cache ledgers of every server (shared by all
/// clients) and this client's bans (server -> banned until, ms). <see cref="ForClient"/> gives
/// another client's view over the same ledgers.
/// </summary>
public sealed class SwarmState : ISwarmState
{
    private readonly CacheLedger[] _ledgers;
    private readonly double[][] _bannedUntilMs;
    private readonly ChainSessions _chains;

    /// <summary>A fresh swarm with empty caches and no bans, seen by client 0.</summary>
    public SwarmState(SwarmSpec swarm, BlockPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        ArgumentNullException.ThrowIfNull(placement);
        if (placement.ServerCount != swarm.ServerCount || placement.Caches.Count != swarm.ServerCount)
            throw new ArgumentException($"Placement has {placement.ServerCount} spans and {placement.Caches.Count} budgets for {swarm.ServerCount} servers.", nameof(placement));
        Swarm = swarm;
        Placement = placement;
        Performance = new SwarmPerformanceModel(swarm);
        _ledgers = new CacheLedger[swarm.ServerCount];
        for (var j = 0; j < _ledgers.Length; j++) _ledgers[j] = new CacheLedger(placement.Caches[j], placement.Spans[j]);
        _chains = new ChainSessions(placement);
        _bannedUntilMs = new double[swarm.ClientCount][];
        for (var c = 0; c < _bannedUntilMs.Length; c++)
        {
            _bannedUntilMs[c] = new double[swarm.ServerCount];
            Array.Fill(_bannedUntilMs[c], double.NegativeInfinity);
        }
    }

    private SwarmState(SwarmState shared, int client)
    {
        Swarm = shared.Swarm;
        Placement = shared.Placement;
        Performance = shared.Performance;
        _ledgers = shared._ledgers;
        _bannedUntilMs = shared._bannedUntilMs;
        _chains = shared._chains;
        Client = client;
    }

    public SwarmSpec Swarm { get; }
    public BlockPlacement Placement { get; }
    public SwarmPerformanceModel Performance { get; }

    /// <summary>The client whose bans <see cref="IsBanned"/> reports.</summary>
    public int Client { get; }

    /// <summary>The same swarm seen by <paramref name="client"/>.</summary>
    public SwarmState ForClient(int client)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(client);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(client, Swarm.ClientCount);
        return client == Client ? this : new SwarmState(this, client);
    }

    public CacheLedger Ledger(int server) => _ledgers[server];

    /// <summary>This client avoids <paramref name="server"/> until <paramref name="untilMs"/> (PETALS' ban after a failed allocation).</summary>
    public void Ban(int server, double untilMs) =>
        _bannedUntilMs[Client][server] = Math.Max(_bannedUntilMs[Client][server], untilMs);

    public bool IsBanned(int server, double nowMs) => nowMs < _bannedUntilMs[Client][server];

    public bool CanHostNow(int server, int startBlock, int endBlock, double cacheBytesPerBlock, double nowMs) =>
        _ledgers[server].CanHostNow(startBlock, endBlock, cacheBytesPerBlock, nowMs);

    public double EarliestStartMs(int server, int startBlock, int endBlock, double cacheBytesPerBlock, double nowMs) =>
        _ledgers[server].EarliestStartMs(startBlock, endBlock, cacheBytesPerBlock, nowMs);

    public double EarliestChainSlotMs(int chain, double nowMs) => _chains.EarliestSlotMs(chain, nowMs);

    public double LatestStartMs => _chains.LatestStartMs;

    /// <summary>Index of the composed chain <paramref name="route"/> is, or -1 when it is none of them.</summary>
    public int ChainIndexOf(Route route) => _chains.IndexOf(route);

    /// <summary>Sessions on composed chain <paramref name="chain"/> at <paramref name="timeMs"/>.</summary>
    public int ChainSessionsAt(int chain, double timeMs) => _chains.ActiveAt(chain, timeMs);

    /// <summary>Records an admitted session (after its cache is committed): chain slots and the latest start.</summary>
    public void RecordSession(Route route, double startMs, double endMs)
    {
        ArgumentNullException.ThrowIfNull(route);
        _chains.Record(route, startMs, endMs);
    }

    public int SessionsNotEnded(int server, double nowMs) => _ledgers[server].SessionsNotEnded(nowMs);

    public double FreeCacheBytes(int server, int startBlock, int endBlock, double nowMs) =>
        _ledgers[server].FreeBytesNow(startBlock, endBlock, nowMs);
}
