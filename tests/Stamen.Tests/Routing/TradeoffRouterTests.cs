using Stamen.Optimization.Nsga2;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Simulation.Swarm;
using Stamen.Swarm;
using Stamen.Tests.Placement;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Routing;

public class TradeoffRouterTests
{
    private static readonly RequestShape Shape = new(20, 64);

    /// <summary>A live state with random commitments (some servers full, some half full) and random bans of client 0.</summary>
    private static SwarmState LoadedState(SwarmSpec swarm, BlockPlacement placement, Random rng, double banFraction)
    {
        var state = new SwarmState(swarm, placement);
        for (var j = 0; j < swarm.ServerCount; j++)
        {
            var span = placement.Spans[j];
            if (span.Count == 0) continue;
            var fill = rng.Next(3) switch { 0 => 0.0, 1 => 0.5, _ => 1.0 };
            var perBlock = placement.Caches[j].PerBlock ? placement.Caches[j].PoolBytes : placement.Caches[j].PoolBytes / span.Count;
            if (fill > 0) state.Ledger(j).Commit(new CacheCommitment(0, 60_000, span.Start, span.End, fill * perBlock));
            if (rng.NextDouble() < banFraction) state.Ban(j, 10_000);
        }
        return state;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void Choose_RandomInstancesLiveStateAndBans_ValidChainOnUnbannedServersOrNullWhenABlockHasNone(double banFraction)
    {
        var routed = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            foreach (var (swarm, placement, typical) in ScalableCatalogs.PlansOnRandomInstance(seed))
            {
                var rng = new Random(seed);
                var state = LoadedState(swarm, placement, rng, banFraction);
                var coverable = Enumerable.Range(0, placement.NumBlocks).All(b => placement.ServersHolding(b).Any(j => !state.IsBanned(j, 1)));
                foreach (var router in new[] { new TradeoffRouter(swarm, placement), new TradeoffRouter(swarm, placement, latencyWeight: 0.8) })
                {
                    var route = router.Choose(new RoutingQuery(0, typical, 1, state, new Random(seed)));
                    Assert.Equal(coverable, route is not null);
                    if (route is null) continue;
                    RouteAssert.ValidChain(route, placement);
                    Assert.All(route.Hops, h => Assert.False(state.IsBanned(h.Server, 1)));
                    routed++;
                }
            }
        }
        Assert.True(routed > 100, $"only {routed} routes checked");
    }

    [Fact]
    public void Front_RandomInstances_MutuallyNonDominatedTrueObjectivesAndReproducibleBySeed()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            foreach (var (swarm, placement, typical) in ScalableCatalogs.PlansOnRandomInstance(seed))
            {
                var state = LoadedState(swarm, placement, new Random(seed), banFraction: 0);
                var search = new ParetoChainSearch(swarm, placement);
                var query = new RoutingQuery(0, typical, 1, state, new Random(0));
                var front = search.Front(query, seed)!;
                var again = search.Front(query, seed)!;
                // Route equality is by reference (its hop list), so compare the printed chains.
                Assert.Equal(front.Select(p => (p.Route.ToString(), p.PerTokenLatencyMs, p.BottleneckFreeSessions, p.MissingCacheBytes)),
                    again.Select(p => (p.Route.ToString(), p.PerTokenLatencyMs, p.BottleneckFreeSessions, p.MissingCacheBytes)));
                Assert.NotEmpty(front);

                var sc = state.Performance.SessionCacheBytesPerBlock(typical);
                foreach (var p in front)
                {
                    RouteAssert.ValidChain(p.Route, placement);
                    Assert.Equal(state.Performance.Time(p.Route, 0, typical).PerTokenMs, p.PerTokenLatencyMs, 1e-6);
                    var sessions = p.Route.Hops.Min(h =>
                        state.FreeCacheBytes(h.Server, h.StartBlock, h.EndBlock, 1) / placement.Caches[h.Server].SessionBytes(h.Blocks, sc));
                    Assert.Equal(sessions, p.BottleneckFreeSessions, 1e-9);
                }
                // Constrained domination: a feasible front is all feasible, an infeasible one shares the least violation.
                Assert.Single(front.Select(p => p.MissingCacheBytes).Distinct());
                var evaluations = front.Select(p => new Evaluation([p.PerTokenLatencyMs, -p.BottleneckFreeSessions])).ToList();
                foreach (var a in evaluations)
                    Assert.False(evaluations.Any(b => ConstrainedDomination.ParetoDominates(b, a)),
                        $"seed {seed}: " + string.Join("; ", front.Select(p => $"{p.Route} {p.PerTokenLatencyMs} {p.BottleneckFreeSessions} {p.MissingCacheBytes}")));
                Assert.Equal(front.Count, front.Select(p => p.Route.ToString()).Distinct().Count());
            }
        }
    }

    /// <summary>A random covering placement of up to 6 servers over L &lt;= 8 blocks, shared pools of random size.</summary>
    private static (SwarmSpec Swarm, BlockPlacement Placement) SmallInstance(int seed) =>
        TestSwarms.SmallCoveringInstance(seed, rng => 1e9 * (1 + rng.Next(20)));

    /// <summary>Every chain from block <paramref name="at"/> to L, as hop lists.</summary>
    private static IEnumerable<List<RouteHop>> AllChains(BlockPlacement p, int at = 0)
    {
        if (at == p.NumBlocks)
        {
            yield return [];
            yield break;
        }
        for (var j = 0; j < p.ServerCount; j++)
        {
            if (!p.Spans[j].Contains(at)) continue;
            foreach (var rest in AllChains(p, p.Spans[j].End))
                yield return [new RouteHop(j, at, p.Spans[j].End), .. rest];
        }
    }

    [Fact]
    public void Front_SmallInstancesAllFree_ExtremesEqualShortestPathAndBruteForceWidestChain()
    {
        for (var seed = 0; seed < 150; seed++)
        {
            var (swarm, placement) = SmallInstance(seed);
            var state = new SwarmState(swarm, placement);
            var client = seed % 2;
            var query = new RoutingQuery(client, Shape, 0, state, new Random(seed));
            var front = new ParetoChainSearch(swarm, placement).Front(query)!;

            var (_, publishedCost) = new ShortestPathRouter(swarm, placement, HopCostMode.Published).ChooseWithCost(query);
            Assert.Equal(publishedCost / Shape.OutputTokens, front.Min(p => p.PerTokenLatencyMs), 1e-9);

            var sc = state.Performance.SessionCacheBytesPerBlock(Shape);
            var widest = AllChains(placement).Max(chain => chain.Min(h => state.FreeCacheBytes(h.Server, h.StartBlock, h.EndBlock, 0) / (sc * h.Blocks)));
            Assert.Equal(widest, front.Max(p => p.BottleneckFreeSessions), 1e-9);
            Assert.All(front, p => Assert.True(p.Fits || widest < 1));
        }
    }

    private static TradeoffPoint Point(double latencyMs, double sessions) => new(new Route([]), latencyMs, sessions, 0);

    [Fact]
    public void Knee_HandMadeConvexFront_PicksPointFarthestFromLineBetweenExtremes()
    {
        // Normalised (latency, load): (0, 1), (0.1, 2/9), (0.5, 1/9), (1, 0); distance to x + y = 1 is (1 - x - y) / sqrt 2.
        TradeoffPoint[] front = [Point(100, 1), Point(110, 8), Point(150, 9), Point(200, 10)];
        var distances = front.Select(p => (1 - ((p.PerTokenLatencyMs - 100) / 100) - ((10 - p.BottleneckFreeSessions) / 9)) / Math.Sqrt(2)).ToList();
        Assert.Equal(distances.IndexOf(distances.Max()), TradeoffChoice.Knee(front));
        Assert.Equal(1, TradeoffChoice.Knee(front));
    }

    [Fact]
    public void Knee_TwoPointsEquallyFar_PicksLowerLatencyWhateverTheOrder()
    {
        // Normalised (0.2, 0.4) and (0.4, 0.2) are both 0.4 / sqrt 2 from the line.
        TradeoffPoint[] front = [Point(100, 0), Point(140, 8), Point(120, 6), Point(200, 10)];
        Assert.Equal(2, TradeoffChoice.Knee(front));
    }

    [Fact]
    public void Knee_ConcaveOrTinyFront_PicksLowestLatencyExtreme()
    {
        // (0.5, 0.8) lies beyond the line, away from the ideal point.
        Assert.Equal(1, TradeoffChoice.Knee([Point(200, 10), Point(100, 0), Point(150, 2)]));
        Assert.Equal(0, TradeoffChoice.Knee([Point(100, 3)]));
        Assert.Equal(1, TradeoffChoice.Knee([Point(120, 5), Point(110, 1)]));
    }

    [Fact]
    public void Weighted_RandomFronts_WeightOneIsLowestLatencyWeightZeroIsMostFreeSessions()
    {
        var rng = new Random(11);
        for (var trial = 0; trial < 200; trial++)
        {
            var front = Enumerable.Range(0, rng.Next(1, 12)).Select(_ => Point(50 + rng.Next(200), rng.Next(30))).ToList();
            Assert.Equal(front.Min(p => p.PerTokenLatencyMs), front[TradeoffChoice.Weighted(front, 1)].PerTokenLatencyMs);
            Assert.Equal(front.Max(p => p.BottleneckFreeSessions), front[TradeoffChoice.Weighted(front, 0)].BottleneckFreeSessions);
            var w = rng.NextDouble();
            var scores = front.Select(p => (w * Norm(front, p.PerTokenLatencyMs, q => q.PerTokenLatencyMs))
                + ((1 - w) * Norm(front, -p.BottleneckFreeSessions, q => -q.BottleneckFreeSessions))).ToList();
            Assert.Equal(scores.Min(), scores[TradeoffChoice.Weighted(front, w)], 1e-9);
        }
    }

    private static double Norm(List<TradeoffPoint> front, double v, Func<TradeoffPoint, double> f)
    {
        var min = front.Min(f);
        var max = front.Max(f);
        return max > min ? (v - min) / (max - min) : 0;
    }

    [Fact]
    public void Weighted_WeightOutsideUnitInterval_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TradeoffChoice.Weighted([Point(1, 1)], 1.5));
    }
}
