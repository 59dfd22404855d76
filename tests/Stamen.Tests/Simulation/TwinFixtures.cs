using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Tests.Simulation;

/// <summary>
/// Greedy router for twin tests: from block 0, take the server holding the current block whose
/// span reaches farthest (ties: lowest index), optionally skipping servers this client banned.
/// </summary>
internal sealed class FarthestReachRouter(bool avoidBanned) : IRouter
{
    public Route? Choose(RoutingQuery query) => TwinFixtures.Walk(query, candidates =>
    {
        var best = -1;
        foreach (var j in candidates)
            if (best < 0 || query.State.Placement.Spans[j].End > query.State.Placement.Spans[best].End) best = j;
        return best;
    }, avoidBanned);
}

/// <summary>Random router for twin tests: at each block, a uniformly random non-banned server holding it, to its span's end.</summary>
internal sealed class RandomHolderRouter : IRouter
{
    public Route? Choose(RoutingQuery query) =>
        TwinFixtures.Walk(query, candidates => candidates.Count == 0 ? -1 : candidates[query.Random.Next(candidates.Count)], avoidBanned: true);
}

/// <summary>Wraps a router and records every call: (time, client, first server chosen or -1).</summary>
internal sealed class RecordingRouter(IRouter inner) : IRouter
{
    public List<(double NowMs, int Client, Route? Route)> Calls { get; } = [];

    public Route? Choose(RoutingQuery query)
    {
        var route = inner.Choose(query);
        Calls.Add((query.NowMs, query.Client, route));
        return route;
    }
}

internal static class TwinFixtures
{
    public static Route? Walk(RoutingQuery query, Func<List<int>, int> pick, bool avoidBanned)
    {
        var placement = query.State.Placement;
        var hops = new List<RouteHop>();
        var block = 0;
        var candidates = new List<int>();
        while (block < placement.NumBlocks)
        {
            candidates.Clear();
            for (var j = 0; j < placement.ServerCount; j++)
                if (placement.Spans[j].Contains(block) && !(avoidBanned && query.State.IsBanned(j, query.NowMs)))
                    candidates.Add(j);
            var server = pick(candidates);
            if (server < 0) return null;
            var end = placement.Spans[server].End;
            hops.Add(new RouteHop(server, block, end));
            block = end;
        }
        return new Route(hops);
    }

    /// <summary>
    /// A covering placement: server j holds as many blocks as its MaxBlocks and 80% of memory
    /// allow, laid end to end around the model. Each server's cache room is
    /// <paramref name="sessionsRoom"/> sessions of <paramref name="typical"/> (random 1..3 when null),
    /// as a per-block pool or as a shared pool for sessions covering the whole span.
    /// </summary>
    public static BlockPlacement CoveringPlacement(SwarmSpec swarm, RequestShape typical, bool perBlock, Random rng, int? sessionsRoom = null)
    {
        var model = swarm.Model;
        var sc = model.SessionCacheBytesPerBlock(typical.PromptTokens, typical.OutputTokens);
        var spans = new List<BlockSpan>();
        var caches = new List<CacheBudget>();
        var cursor = 0;
        foreach (var server in swarm.Servers)
        {
            var m = Math.Min(Math.Min(server.MaxBlocks, model.NumBlocks), (int)(server.MemoryBytes * 0.8 / model.BlockBytes));
            var start = cursor + m > model.NumBlocks ? model.NumBlocks - m : cursor;
            spans.Add(new BlockSpan(start, m));
            cursor = (start + m) % model.NumBlocks;
            var room = sessionsRoom ?? rng.Next(1, 4);
            caches.Add(new CacheBudget(perBlock ? room * sc : room * sc * m, perBlock));
        }
        var placement = new BlockPlacement(model.NumBlocks, spans, caches);
        Assert.Null(placement.FirstUncoveredBlock());
        return placement;
    }

    /// <summary>Poisson arrivals at <paramref name="ratePerSec"/> with output lengths drawn from {16, 32, 64}.</summary>
    public static List<SwarmRequest> Poisson(Random rng, int count, double ratePerSec, int clients = 1)
    {
        var requests = new List<SwarmRequest>();
        var t = 0.0;
        int[] outputs = [16, 32, 64];
        for (var i = 0; i < count; i++)
        {
            t += -Math.Log(1 - rng.NextDouble()) / ratePerSec * 1000;
            requests.Add(new SwarmRequest(i, t, rng.Next(clients), new RequestShape(20, outputs[rng.Next(outputs.Length)])));
        }
        return requests;
    }
}
