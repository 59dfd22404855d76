using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// PETALS' routing mode "max_throughput" (reference section 1; PETALS
/// <c>_make_sequence_with_max_throughput</c>): at the current block pick, at random from the
/// query's stream, a non-banned server holding it with probability proportional to its span
/// length (the whole span, as PETALS weighs <c>span.length</c>, not the part still ahead), then
/// jump to the end of its span. Null when a block has no usable server.
/// </summary>
public sealed class PetalsMaxThroughputRouter : IRouter
{
    private readonly BlockPlacement _placement;

    public PetalsMaxThroughputRouter(SwarmSpec swarm, BlockPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        _placement = RouterArguments.Check(swarm, placement);
    }

    public Route? Choose(RoutingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var hops = new List<RouteHop>();
        var candidates = new List<int>();
        for (var block = 0; block < _placement.NumBlocks;)
        {
            candidates.Clear();
            candidates.AddRange(_placement.ServersHolding(block).Where(j => !query.State.IsBanned(j, query.NowMs)));
            if (candidates.Count == 0) return null;
            var chosen = Sample(candidates, query.Random);
            var end = _placement.Spans[chosen].End;
            hops.Add(new RouteHop(chosen, block, end));
            block = end;
        }
        return new Route(hops);
    }

    private int Sample(List<int> candidates, Random random)
    {
        var total = candidates.Sum(j => _placement.Spans[j].Count);
        var r = random.NextDouble() * total;
        foreach (var j in candidates)
        {
            r -= _placement.Spans[j].Count;
            if (r < 0) return j;
        }
        return candidates[^1];
    }
}
