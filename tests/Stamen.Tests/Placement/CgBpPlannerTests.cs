using Stamen.Performance;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Swarm;
using Stamen.Tests.Routing;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Placement;

public class CgBpPlannerTests
{
    /// <summary>The reference's clustered setup: 2 A100 (86.13 GB) + 7 MIG (9.1 GB), one client.</summary>
    private static SwarmSpec Clustered()
    {
        var servers = new List<ServerSpec>();
        for (var i = 0; i < 2; i++) servers.Add(TestSwarms.ServerWithMemory($"a100-{i}", TestSwarms.A100, 86.13e9, 70));
        for (var i = 0; i < 7; i++) servers.Add(TestSwarms.ServerWithMemory($"mig-{i}", TestSwarms.Mig, 9.1e9, 4));
        var rtt = new double[1, 9];
        for (var j = 0; j < 9; j++) rtt[0, j] = j % 2 == 0 ? 5 : 100;
        return TestSwarms.Build(TestSwarms.Bloom(), servers, rtt);
    }

    [Fact]
    public void Plan_PublishedLoad_PutsFewerBlocksPerServerThanPetals()
    {
        var swarm = Clustered();
        var context = new PlanningContext(swarm, new RequestShape(20, 128), 0.5, 60_070, Seed: 1);

        var cg = new CgBpPlanner().Plan(context).Placement;
        var petals = new PetalsPlacementPlanner().Plan(context).Placement;

        Assert.True(cg.Spans[0].Count < petals.Spans[0].Count, $"CG-BP {cg.Spans[0].Count} vs PETALS {petals.Spans[0].Count} on an A100");
        Assert.True(cg.Spans[2].Count <= petals.Spans[2].Count);
    }

    [Fact]
    public void Plan_FromLoad_SizesRFromSingleRequestTime()
    {
        var swarm = Clustered();
        var context = new PlanningContext(swarm, new RequestShape(20, 128), 0.5, 60_070, Seed: 1);
        var plan = new CgBpPlanner().Plan(context);

        // T1: one request alone, routed by offline shortest path on the R = 1 placement.
        var single = new CgBpPlanner(new CgBpOptions { FixedSessions = 1 }).Plan(context).Placement;
        var state = new StaticSwarmState(swarm, single);
        var route = new ShortestPathRouter(swarm, single).Choose(new RoutingQuery(0, context.Typical, 0, state, new Random(0)))!;
        var t1 = new SwarmPerformanceModel(swarm).Time(route, 0, context.Typical).TotalMs + context.FixedDelayMs;
        Assert.Equal(t1, plan.Figures["t1_ms"], 6);

        var mean = 0.5 * t1 / 1000;
        var sm = swarm.Model.BlockBytes;
        var sc = swarm.Model.SessionCacheBytesPerBlock(20, 128);
        var rMax = Math.Floor((swarm.Servers.Sum(s => s.MemoryBytes) - sm * (70 + 9)) / (sc * (70 + 9)));
        Assert.Equal(rMax, plan.Figures["r_max"]);
        Assert.Equal(Math.Min(Math.Round(mean + Math.Sqrt(mean)), rMax), plan.Figures["sessions_R"]);

        // m_j = min(floor(M_j / (s_m + s_c R)), L, MaxBlocks_j) for every server.
        var r = plan.Figures["sessions_R"];
        for (var j = 0; j < swarm.ServerCount; j++)
        {
            var s = swarm.Servers[j];
            Assert.Equal(Math.Min(Math.Min(Math.Floor(s.MemoryBytes / (sm + sc * r)), 70), s.MaxBlocks), plan.Placement.Spans[j].Count);
        }
        Assert.Equal(0, plan.Figures["capacity_shortfall_blocks"]);
    }

    [Fact]
    public void Plan_RequestedRDoesNotFit_LowersRAndCountsShortfall()
    {
        var swarm = Clustered();
        var context = new PlanningContext(swarm, new RequestShape(20, 128), 0.5, 0, Seed: 1);
        var plan = new CgBpPlanner(new CgBpOptions { FixedSessions = 5000 }).Plan(context);

        Assert.Null(plan.Placement.FirstUncoveredBlock());
        Assert.True(plan.Figures["sessions_R"] < 5000);
        Assert.Equal(5000, plan.Figures["sessions_R_requested"]);
        Assert.True(plan.Figures["capacity_shortfall_blocks"] > 0);
        // R is the largest that still covers the model: one more would not fit.
        var sm = swarm.Model.BlockBytes;
        var sc = swarm.Model.SessionCacheBytesPerBlock(20, 128);
        var next = plan.Figures["sessions_R"] + 1;
        var blocks = swarm.Servers.Sum(s => Math.Min(Math.Min(Math.Floor(s.MemoryBytes / (sm + sc * next)), 70), s.MaxBlocks));
        Assert.True(blocks < 70);
    }

    [Fact]
    public void Plan_RandomSwarms_ShortestPathMeetsTheorem2Bound()
    {
        var checkedRoutes = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var swarm = TestSwarms.RandomInstance(seed);
            var context = PlannerPropertyTests.Context(swarm, seed);
            PlacementPlan plan;
            try { plan = new CgBpPlanner().Plan(context); }
            catch (StamenInputException) { continue; }
            var bound = plan.Figures["bound_ms_per_token"];
            var router = new ShortestPathRouter(swarm, plan.Placement, HopCostMode.Published);
            var state = new StaticSwarmState(swarm, plan.Placement);
            for (var c = 0; c < swarm.ClientCount; c++)
            {
                var route = router.Choose(new RoutingQuery(c, context.Typical, 0, state, new Random(0)))!;
                var perToken = route.Hops.Sum(h => swarm.Delays.PerTokenRttMs(c, h.Server) + h.Blocks * swarm.Servers[h.Server].Times.DecodeMsPerBlock);
                Assert.True(perToken <= bound + 1e-9, $"seed {seed} client {c}: {perToken} > bound {bound}");
                checkedRoutes++;
            }
        }
        Assert.True(checkedRoutes > 100);
    }

    [Fact]
    public void Plan_FixedSessions_GreedyGivesFastestServerBlockZero()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var swarm = TestSwarms.Random(seed, servers: 10, clients: 2, blocks: 20, a100Fraction: 0.3);
            var plan = new CgBpPlanner(new CgBpOptions { FixedSessions = 3 }).Plan(new PlanningContext(swarm, new RequestShape(20, 64), 0.1, 0, seed));
            var p = plan.Placement;
            // t~_j = tau_j + max_c RTT(c,j) / m_j: the smallest t~ (lowest index on ties) is placed first, at block 0.
            var amortized = Enumerable.Range(0, swarm.ServerCount)
                .Select(j => swarm.Servers[j].Times.DecodeMsPerBlock + Enumerable.Range(0, 2).Max(c => swarm.Delays.PerTokenRttMs(c, j)) / p.Spans[j].Count)
                .ToList();
            var first = amortized.IndexOf(amortized.Min());
            Assert.Equal(0, p.Spans[first].Start);
            Assert.Equal(3, plan.Figures["sessions_R"]);
        }
    }
}
