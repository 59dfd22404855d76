using Stamen.Hardware;
using Stamen.Performance;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Runtime.Calibration;
using Stamen.Runtime.Model;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Runtime.Swarm;

/// <summary>One hop of a planned chain: a server and the blocks [Start, End) it runs for the session (a sub-range of its span allowed).</summary>
public sealed record ChainSegment(BlockServerInfo Server, int Start, int End);

/// <summary>Plans which servers run blocks [from, L) for one session, from the live servers; null when they do not cover the blocks.</summary>
public interface IChainPlanner
{
    string Name { get; }

    Task<IReadOnlyList<ChainSegment>?> PlanAsync(IReadOnlyList<BlockServerInfo> servers, int from, int blocks, int promptTokens, int newTokens,
        CancellationToken cancellationToken);
}

/// <summary>The fewest hops: from each block, the server holding it that reaches farthest (ties: most free sessions, then id).</summary>
public sealed class MinHopChainPlanner : IChainPlanner
{
    public string Name => "min-hop";

    public Task<IReadOnlyList<ChainSegment>?> PlanAsync(IReadOnlyList<BlockServerInfo> servers, int from, int blocks, int promptTokens, int newTokens,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var chain = new List<ChainSegment>();
        for (var block = from; block < blocks;)
        {
            var best = servers.Where(s => s.StartBlock <= block && block < s.EndBlock)
                .OrderByDescending(s => s.EndBlock).ThenByDescending(s => s.FreeSessions).ThenBy(s => s.ServerId, StringComparer.Ordinal).FirstOrDefault();
            if (best is null) return Task.FromResult<IReadOnlyList<ChainSegment>?>(null);
            chain.Add(new ChainSegment(best, block, best.EndBlock));
            block = best.EndBlock;
        }
        return Task.FromResult<IReadOnlyList<ChainSegment>?>(chain);
    }
}

/// <summary>
/// The swarm twin's routers (<see cref="RouterCatalog"/>: PETALS min-latency, WS-RR, shortest path, ...) on the live swarm:
/// the registry's servers become a <see cref="SwarmSpec"/> and a <see cref="BlockPlacement"/> with the round trips the
/// client pings (in parallel, each reused for 30 s), each server's decode time per block from the throughput it announces (else the given block times, else
/// 1 ms), and free sessions as each server's cache; the router's route is then opened for real. A chain needed from block b (after a failure) is the route's
/// part from b on.
/// </summary>
public sealed class TwinRouterChainPlanner(string routerName, LlamaConfig config, string model, HttpClient http, BlockTimes? blockTimes = null,
    int seed = 1) : IChainPlanner
{
    /// <summary>How long a measured round trip is reused: pinging every server before every session would add their round trips to it.</summary>
    private static readonly TimeSpan PingTtl = TimeSpan.FromSeconds(30);

    private readonly Stamen.Options.CatalogEntry<RouterFactory> _router = RouterCatalog.Find(routerName);
    private readonly Random _random = new(seed);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (double Ms, DateTime At)> _pings = new(StringComparer.Ordinal);

    public string Name => _router.Name;

    public async Task<IReadOnlyList<ChainSegment>?> PlanAsync(IReadOnlyList<BlockServerInfo> servers, int from, int blocks, int promptTokens, int newTokens,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 0) return null;
        var pings = await Task.WhenAll(servers.Select(s => PingMsAsync(s, cancellationToken))).ConfigureAwait(false);
        var rtt = new double[1, servers.Count];
        var rttIn = new double[1, servers.Count];
        for (var j = 0; j < servers.Count; j++)
        {
            rtt[0, j] = pings[j];
            rttIn[0, j] = 2 * pings[j];
        }
        var times = blockTimes ?? new BlockTimes(1, 0.3, 0);
        var modelSpec = RuntimeProfiler.ModelSpecOf(model, config);
        var shape = new RequestShape(promptTokens, newTokens);
        var perBlock = modelSpec.SessionCacheBytesPerBlock(promptTokens, newTokens);
        var specs = servers.Select((s, j) => new ServerSpec(s.ServerId, "cpu", j, 1e12,
            s.ThroughputTokensPerSec > 0 ? times with { DecodeMsPerBlock = 1000 / (s.ThroughputTokensPerSec * (s.EndBlock - s.StartBlock)) } : times,
            s.EndBlock - s.StartBlock)).ToArray();
        var swarm = new SwarmSpec(modelSpec, specs, [new ClientSpec("client", 0)], new SwarmDelays(rtt, rttIn, new double[1, servers.Count], null));
        // A server's cache pool is what its free sessions hold at full length, so the router sees who is full.
        var placement = new BlockPlacement(blocks, [.. servers.Select(s => new BlockSpan(s.StartBlock, s.EndBlock - s.StartBlock))],
            [.. servers.Select(s => new CacheBudget(s.FreeSessions * perBlock * (s.EndBlock - s.StartBlock), PerBlock: false))]);
        // The registry's snapshot as the routers see it: a server with no free session is not ready; nothing is banned.
        var state = new StaticSwarmState(swarm, placement);
        for (var j = 0; j < servers.Count; j++)
            if (servers[j].FreeSessions <= 0) state.ReadyAtMs[j] = double.PositiveInfinity;
        var route = _router.Create()(swarm, placement).Choose(new RoutingQuery(0, shape, 0, state, _random));
        if (route is null) return null;
        var chain = new List<ChainSegment>();
        foreach (var hop in route.Hops)
        {
            if (hop.EndBlock <= from) continue;
            chain.Add(new ChainSegment(servers[hop.Server], Math.Max(hop.StartBlock, from), hop.EndBlock));
        }
        return chain.Count > 0 && chain[0].Start == from && chain[^1].End == blocks ? chain : null;
    }

    /// <summary>The server's round trip: a recent measurement, or a /health ping (10 s when it does not answer).</summary>
    private async Task<double> PingMsAsync(BlockServerInfo server, CancellationToken cancellationToken)
    {
        if (_pings.TryGetValue(server.Url, out var known) && DateTime.UtcNow - known.At < PingTtl) return known.Ms;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double ms;
        try
        {
            await http.GetStringAsync(new Uri($"{server.Url}/health"), cancellationToken).ConfigureAwait(false);
            ms = clock.Elapsed.TotalMilliseconds;
        }
        catch (HttpRequestException)
        {
            return 10_000;
        }
        _pings[server.Url] = (ms, DateTime.UtcNow);
        return ms;
    }
}

/// <summary>One hop of a chain given in advance: the server by id and the blocks it runs.</summary>
public sealed record ChainStep(string ServerId, int Start, int End);

/// <summary>
/// A chain chosen in advance (by a plan's router, as `stamen validate` does), opened as given; from block b on (after a
/// failure) its part from b. Null when a server of the chain is not among the live ones: a fixed chain has no other.
/// </summary>
public sealed class FixedChainPlanner(IReadOnlyList<ChainStep> chain) : IChainPlanner
{
    public string Name => "fixed";

    public Task<IReadOnlyList<ChainSegment>?> PlanAsync(IReadOnlyList<BlockServerInfo> servers, int from, int blocks, int promptTokens, int newTokens,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var segments = new List<ChainSegment>();
        foreach (var step in chain)
        {
            if (step.End <= from) continue;
            var server = servers.FirstOrDefault(s => string.Equals(s.ServerId, step.ServerId, StringComparison.Ordinal));
            if (server is null) return Task.FromResult<IReadOnlyList<ChainSegment>?>(null);
            segments.Add(new ChainSegment(server, Math.Max(step.Start, from), step.End));
        }
        var whole = segments.Count > 0 && segments[0].Start == from && segments[^1].End == blocks;
        return Task.FromResult(whole ? segments : null as IReadOnlyList<ChainSegment>);
    }
}
