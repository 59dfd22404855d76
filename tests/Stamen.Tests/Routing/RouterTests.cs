using Stamen.Performance;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Swarm;
using Stamen.Tests.Placement;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Routing;

public class RouterTests
{
    private static readonly RequestShape Shape = new(20, 64);

    public static TheoryData<string> Routers => [.. RouterCatalog.All.Select(e => e.Name)];

    /// <summary>A random covering placement of up to 6 servers over L &lt;= 8 blocks, spans anywhere.</summary>
    private static (SwarmSpec Swarm, BlockPlacement Placement) SmallInstance(int seed) =>
        TestSwarms.SmallCoveringInstance(seed, _ => 1e9);

    /// <summary>Every chain from block 0 to L with its cost, by exhaustive search.</summary>
    private static IEnumerable<(List<int> Servers, double Cost)> AllChains(BlockPlacement p, Func<int, int, int, double> cost, int at = 0)
    {
        if (at == p.NumBlocks)
        {
            yield return ([], 0);
            yield break;
        }
        for (var j = 0; j < p.ServerCount; j++)
        {
            if (!p.Spans[j].Contains(at)) continue;
            var c = cost(j, at, p.Spans[j].End);
            foreach (var (rest, restCost) in AllChains(p, cost, p.Spans[j].End))
                yield return ([j, .. rest], c + restCost);
        }
    }

    [Theory]
    [MemberData(nameof(Routers))]
    public void Choose_EveryCatalogPlanAndRandomFullServers_ReturnsValidChain(string router)
    {
        var entry = RouterCatalog.Find(router);
        var routed = 0;
        for (var seed = 0; seed < 120; seed++)
        {
            foreach (var (swarm, placement, typical) in ScalableCatalogs.PlansOnRandomInstance(seed))
            {
                var state = new StaticSwarmState(swarm, placement);
                var rng = new Random(seed);
                for (var j = 0; j < swarm.ServerCount; j++)
                    if (rng.NextDouble() < 0.3) state.ReadyAtMs[j] = 1000 + rng.NextDouble() * 100_000;
                var r = entry.Create()(swarm, placement);
                for (var c = 0; c < swarm.ClientCount; c++)
                {
                    var route = r.Choose(new RoutingQuery(c, typical, 0, state, new Random(seed)));
                    Assert.NotNull(route);
                    RouteAssert.ValidChain(route, placement);
                    routed++;
                }
            }
        }
        Assert.True(routed > 100);
    }

    [Theory]
    [InlineData(HopCostMode.Exact)]
    [InlineData(HopCostMode.Published)]
    public void ShortestPath_SmallInstances_EqualsBruteForce(HopCostMode mode)
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var (swarm, placement) = SmallInstance(seed);
            var cost = new HopCost(new SwarmPerformanceModel(swarm), mode);
            var router = new ShortestPathRouter(swarm, placement, mode);
            var state = new StaticSwarmState(swarm, placement);
            for (var c = 0; c < swarm.ClientCount; c++)
            {
                var client = c;
                var best = AllChains(placement, (j, s, e) => cost.Ms(client, j, e - s, Shape)).Min(x => x.Cost);

                var (route, pathCost) = router.ChooseWithCost(new RoutingQuery(c, Shape, 0, state, new Random(0)));

                Assert.NotNull(route);
                RouteAssert.ValidChain(route, placement);
                Assert.Equal(best, pathCost, 9);
                Assert.Equal(pathCost, route.Hops.Sum(h => cost.Ms(client, h.Server, h.Blocks, Shape)), 9);
            }
        }
    }

    [Fact]
    public void ShortestPath_ExactCost_EqualsModelledRequestTime()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var (swarm, placement) = SmallInstance(seed);
            var state = new StaticSwarmState(swarm, placement);
            var (route, cost) = new ShortestPathRouter(swarm, placement).ChooseWithCost(new RoutingQuery(0, Shape, 0, state, new Random(0)));
            Assert.Equal(state.Performance.Time(route!, 0, Shape).TotalMs, cost, 6);
        }
    }

    [Fact]
    public void WsRr_NoServerFull_EqualsShortestPath()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var (swarm, placement) = SmallInstance(seed);
            var state = new StaticSwarmState(swarm, placement);
            foreach (var mode in new[] { HopCostMode.Exact, HopCostMode.Published })
                for (var c = 0; c < swarm.ClientCount; c++)
                {
                    var q = new RoutingQuery(c, Shape, 5_000, state, new Random(0));
                    var ws = new WsRrRouter(swarm, placement, mode).ChooseWithCost(q);
                    var sp = new ShortestPathRouter(swarm, placement, mode).ChooseWithCost(q);
                    Assert.Equal(sp.Route!.Hops, ws.Route!.Hops);
                    Assert.Equal(sp.PathCostMs, ws.PathCostMs);
                }
        }
    }

    [Fact]
    public void WsRr_RandomWaits_PathCostCoversLargestRoundedWaitPlusModelledTime()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var (swarm, placement) = SmallInstance(seed);
            var state = new StaticSwarmState(swarm, placement);
            var rng = new Random(seed);
            const double now = 10_000;
            for (var j = 0; j < swarm.ServerCount; j++)
                if (rng.NextDouble() < 0.5) state.ReadyAtMs[j] = now + rng.NextDouble() * 200_000;

            var (route, cost) = new WsRrRouter(swarm, placement).ChooseWithCost(new RoutingQuery(0, Shape, now, state, new Random(0)));

            Assert.NotNull(route);
            var waits = route.Hops.Select(h => RetrySchedule.RoundUpMs(Math.Max(0, state.ReadyAtMs[h.Server] - now))).ToList();
            var modelled = state.Performance.Time(route, 0, Shape).TotalMs;
            Assert.True(cost >= waits.Max() + modelled - 1e-6);
            Assert.Equal(waits.Sum() + modelled, cost, 6);
        }
    }

    [Fact]
    public void WsRr_NeverFreeServer_IsAvoidedWhenAnotherChainExists()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var (swarm, placement) = SmallInstance(seed);
            var state = new StaticSwarmState(swarm, placement);
            var rng = new Random(seed);
            var blocked = Enumerable.Range(0, swarm.ServerCount).Where(_ => rng.NextDouble() < 0.4).ToHashSet();
            foreach (var j in blocked) state.ReadyAtMs[j] = double.PositiveInfinity;
            var rest = new BlockPlacement(placement.NumBlocks,
                placement.Spans.Select((s, j) => blocked.Contains(j) ? BlockSpan.None : s).ToList(), placement.Caches);

            var route = new WsRrRouter(swarm, placement).Choose(new RoutingQuery(0, Shape, 0, state, new Random(0)));

            if (rest.FirstUncoveredBlock() is not null) Assert.Null(route);
            else
            {
                Assert.NotNull(route);
                Assert.DoesNotContain(route.Hops, h => blocked.Contains(h.Server));
            }
        }
    }

    [Fact]
    public void WsRr_FasterServerFullForAMinute_TakesTheFreeOne()
    {
        var swarm = TestSwarms.Build(TestSwarms.Bloom(), [TestSwarms.A100Server("near"), TestSwarms.A100Server("far")], new double[,] { { 5, 40 } });
        var placement = new BlockPlacement(70, [new BlockSpan(0, 70), new BlockSpan(0, 70)], [new CacheBudget(1e9, false), new CacheBudget(1e9, false)]);
        var state = new StaticSwarmState(swarm, placement);
        var free = new WsRrRouter(swarm, placement).Choose(new RoutingQuery(0, Shape, 0, state, new Random(0)))!;
        Assert.Equal(0, free.Hops.Single().Server);

        state.ReadyAtMs[0] = 60_000;
        var busy = new WsRrRouter(swarm, placement).Choose(new RoutingQuery(0, Shape, 0, state, new Random(0)))!;
        Assert.Equal(1, busy.Hops.Single().Server);
    }

    [Fact]
    public void PetalsMinLatency_OneServer_CostIsHalfRttsOverheadAndBlocks()
    {
        var swarm = TestSwarms.Build(TestSwarms.Bloom(8), [TestSwarms.A100Server("a")], new double[,] { { 30 } });
        var placement = new BlockPlacement(8, [new BlockSpan(0, 8)], [new CacheBudget(1e9, false)]);
        var state = new StaticSwarmState(swarm, placement);
        var router = new PetalsMinLatencyRouter(swarm, placement);

        var (_, free) = router.ChooseWithCost(new RoutingQuery(0, Shape, 0, state, new Random(0)));
        state.ReadyAtMs[0] = 1;
        var (_, full) = router.ChooseWithCost(new RoutingQuery(0, Shape, 0, state, new Random(0)));

        Assert.Equal(15 + 18 + 8 * TestSwarms.A100.DecodeMsPerBlock + 15, free, 9);
        Assert.Equal(free + 10_000, full, 9);
    }

    [Theory]
    [InlineData("petals-min-latency")]
    [InlineData("petals-max-throughput")]
    public void PetalsRouters_BannedServers_AreNeverUsed(string name)
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var (swarm, placement) = SmallInstance(seed);
            var state = new StaticSwarmState(swarm, placement);
            var rng = new Random(seed);
            for (var j = 0; j < swarm.ServerCount; j++) state.Banned[j] = rng.NextDouble() < 0.3;
            var unbannedCover = Enumerable.Range(0, placement.NumBlocks).All(b => placement.ServersHolding(b).Any(j => !state.Banned[j]));

            var route = RouterCatalog.Find(name).Create()(swarm, placement).Choose(new RoutingQuery(0, Shape, 0, state, new Random(seed)));

            if (route is null)
            {
                // Max-throughput walks greedily and may reach a block only banned servers hold even when another chain exists.
                if (name == "petals-min-latency") Assert.False(ChainExistsWithout(placement, state.Banned));
                continue;
            }
            Assert.True(unbannedCover);
            RouteAssert.ValidChain(route, placement);
            Assert.DoesNotContain(route.Hops, h => state.Banned[h.Server]);
        }
    }

    private static bool ChainExistsWithout(BlockPlacement p, bool[] banned, int at = 0) =>
        at == p.NumBlocks || Enumerable.Range(0, p.ServerCount).Any(j => !banned[j] && p.Spans[j].Contains(at) && ChainExistsWithout(p, banned, p.Spans[j].End));

    [Fact]
    public void PetalsMinLatency_FullFastServer_PrefersFreeServerWithinPenalty()
    {
        var swarm = TestSwarms.Build(TestSwarms.Bloom(), [TestSwarms.A100Server("near"), TestSwarms.A100Server("far")], new double[,] { { 5, 400 } });
        var placement = new BlockPlacement(70, [new BlockSpan(0, 70), new BlockSpan(0, 70)], [new CacheBudget(1e9, true), new CacheBudget(1e9, true)]);
        var state = new StaticSwarmState(swarm, placement);
        state.ReadyAtMs[0] = double.PositiveInfinity;

        var route = new PetalsMinLatencyRouter(swarm, placement).Choose(new RoutingQuery(0, Shape, 0, state, new Random(0)))!;

        Assert.Equal(1, route.Hops.Single().Server);
    }

    [Fact]
    public void PetalsMaxThroughput_TwoCandidates_ChosenInProportionToSpanLength()
    {
        var swarm = TestSwarms.Build(TestSwarms.Bloom(8), [TestSwarms.A100Server("long"), TestSwarms.A100Server("short"), TestSwarms.A100Server("tail")],
            new double[,] { { 5, 5, 5 } });
        var placement = new BlockPlacement(8, [new BlockSpan(0, 8), new BlockSpan(0, 2), new BlockSpan(2, 6)],
            [new CacheBudget(1e9, true), new CacheBudget(1e9, true), new CacheBudget(1e9, true)]);
        var state = new StaticSwarmState(swarm, placement);
        var router = new PetalsMaxThroughputRouter(swarm, placement);
        var random = new Random(42);
        const int trials = 4000;

        var longFirst = Enumerable.Range(0, trials).Count(_ => router.Choose(new RoutingQuery(0, Shape, 0, state, random))!.Hops[0].Server == 0);

        // At block 0 the spans are 8 and 2 blocks long: P(long) = 0.8, sd of the share about 0.0063.
        Assert.InRange(longFirst / (double)trials, 0.77, 0.83);
    }

    [Fact]
    public void Find_UnknownName_ThrowsListingEveryRouter()
    {
        var e = Assert.Throws<StamenInputException>(() => RouterCatalog.Find("nope"));
        Assert.Equal("routing", e.Field);
        foreach (var entry in RouterCatalog.All)
            Assert.Contains(entry.Name, e.Message, StringComparison.Ordinal);
    }
}
