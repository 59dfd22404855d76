using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Tests.Routing;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Placement;

public class GbpCrPlannerTests
{
    private static double SessionCache(Stamen.Swarm.SwarmSpec swarm, RequestShape shape) =>
        swarm.Model.SessionCacheBytesPerBlock(shape.PromptTokens, shape.OutputTokens);

    [Fact]
    public void Plan_RandomSwarms_ChainsNeverOverCommitMemoryAndCoverEveryBlock()
    {
        var planned = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var swarm = TestSwarms.RandomInstance(seed);
            var context = PlannerPropertyTests.Context(swarm, seed) with { ArrivalRatePerSec = seed % 3 == 0 ? 5.0 : 0.5 };
            PlacementPlan plan;
            try { plan = new GbpCrPlanner().Plan(context); }
            catch (StamenInputException) { continue; }
            planned++;
            var p = plan.Placement;
            var sc = SessionCache(swarm, context.Typical);
            Assert.NotEmpty(p.Chains);
            var reservedBytes = new double[swarm.ServerCount];
            foreach (var chain in p.Chains)
            {
                RouteAssert.ValidChain(chain.Route, p);
                Assert.Equal(0, chain.Route.Hops[0].StartBlock);
                Assert.Equal(p.NumBlocks, chain.Route.Hops[^1].EndBlock);
                Assert.True(chain.Slots >= 1, $"seed {seed}: a chain with {chain.Slots} slots");
                foreach (var h in chain.Route.Hops) reservedBytes[h.Server] += chain.Slots * sc * h.Blocks;
            }
            for (var j = 0; j < swarm.ServerCount; j++)
            {
                var weights = swarm.Model.BlockBytes * p.Spans[j].Count;
                Assert.True(weights + reservedBytes[j] <= swarm.Servers[j].MemoryBytes * (1 + 1e-12),
                    $"seed {seed}: server {j} weights {weights} + reserved cache {reservedBytes[j]} > {swarm.Servers[j].MemoryBytes}");
                Assert.False(p.Caches[j].PerBlock);
                Assert.Equal(reservedBytes[j], p.Caches[j].PoolBytes, reservedBytes[j] * 1e-9 + 1e-6);
            }
        }
        Assert.True(planned >= 60, $"only {planned} instances were plannable");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(20)]
    public void Plan_FixedReservation_EveryUsedServerHasRoomForCSessionsAndFirstChainHasCSlots(int c)
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var swarm = TestSwarms.Random(seed, servers: 12, blocks: 70, a100Fraction: 0.3);
            var context = PlannerPropertyTests.Context(swarm, seed);
            var plan = new GbpCrPlanner(new GbpCrOptions { FixedReservation = c }).Plan(context);
            var sc = SessionCache(swarm, context.Typical);
            for (var j = 0; j < swarm.ServerCount; j++)
            {
                var m = plan.Placement.Spans[j].Count;
                Assert.True(m * (swarm.Model.BlockBytes + c * sc) <= swarm.Servers[j].MemoryBytes, $"seed {seed}: server {j}");
            }
            Assert.Equal(c, plan.Figures["reservation_c"]);
            // GCA's first chain is the fastest; every server has room for c sessions over all its blocks, so it gets >= c slots.
            Assert.True(plan.Placement.Chains[0].Slots >= c);
        }
    }

    [Fact]
    public void Plan_NoLoad_ReservesOneSessionPerServer()
    {
        var swarm = TestSwarms.Random(3, servers: 10);
        var plan = new GbpCrPlanner().Plan(PlannerPropertyTests.Context(swarm, 3) with { ArrivalRatePerSec = 0 });
        Assert.Equal(1, plan.Figures["reservation_c"]);
        Assert.Equal(1, plan.Figures["disjoint_chains"]);
    }

    [Fact]
    public void Plan_Composition_LeavesNoFurtherChainWithFreeCache()
    {
        // GCA stops only when no chain of the routing topology has a free slot on every hop.
        for (var seed = 0; seed < 60; seed++)
        {
            var swarm = TestSwarms.RandomInstance(seed);
            var context = PlannerPropertyTests.Context(swarm, seed);
            PlacementPlan plan;
            try { plan = new GbpCrPlanner().Plan(context); }
            catch (StamenInputException) { continue; }
            var p = plan.Placement;
            var sc = SessionCache(swarm, context.Typical);
            var free = new long[swarm.ServerCount];
            for (var j = 0; j < free.Length; j++)
                if (!p.Spans[j].IsEmpty)
                    free[j] = (long)Math.Floor((swarm.Servers[j].MemoryBytes - swarm.Model.BlockBytes * p.Spans[j].Count) / sc);
            foreach (var chain in p.Chains)
                foreach (var h in chain.Route.Hops) free[h.Server] -= (long)chain.Slots * h.Blocks;
            Assert.All(free, f => Assert.True(f >= 0));
            var (route, _) = ChainSearch.Cheapest(p, (j, s, e) => free[j] >= e - s ? 1 : double.PositiveInfinity);
            Assert.Null(route);
        }
    }

    [Fact]
    public void Plan_SameInput_SamePlanAndChains()
    {
        var swarm = TestSwarms.Random(11, servers: 15, clients: 2);
        var context = PlannerPropertyTests.Context(swarm, 11);
        var a = new GbpCrPlanner().Plan(context);
        var b = new GbpCrPlanner().Plan(context);
        Assert.Equal(a.Placement.Spans, b.Placement.Spans);
        Assert.Equal(a.Placement.Chains.Select(c => (c.Route.ToString(), c.Slots)), b.Placement.Chains.Select(c => (c.Route.ToString(), c.Slots)));
    }
}
