using Stamen.Algorithms;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Performance;
using Stamen.Placement;
using Stamen.Routing;
using Stamen.Simulation.Swarm;
using Stamen.Swarm;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Optimization;

/// <summary>The MILP planners ("milp", "petals-optimized-routing") end to end, on instances small enough to solve.</summary>
public class MilpPlannerTests
{
    /// <summary>A 6-block model on 3-4 A100/MIG-like servers with two clients.</summary>
    private static PlanningContext Small(int seed)
    {
        var rng = new Random(seed);
        var model = TestSwarms.Bloom(blocks: 6);
        var servers = Enumerable.Range(0, 3 + seed % 2).Select(j => j == 0
            ? TestSwarms.A100Server($"a100-{j}") with { MaxBlocks = 4 }
            : TestSwarms.MigServer($"mig-{j}")).ToList();
        var rtt = new double[2, servers.Count];
        for (var c = 0; c < 2; c++)
            for (var j = 0; j < servers.Count; j++)
                rtt[c, j] = 5 + rng.NextDouble() * 60;
        return new PlanningContext(TestSwarms.Build(model, servers, rtt, rng), new RequestShape(20, 64), 0.5, 60_000, seed);
    }

    [Theory]
    [InlineData("milp")]
    [InlineData("petals-optimized-routing")]
    public void Plan_SmallSwarm_CoversEveryBlockFitsMemoryAndPublishesValidChains(string planner)
    {
        for (var seed = 0; seed < 4; seed++)
        {
            var context = Small(seed);
            var plan = PlacementCatalog.Find(planner).Create().Plan(context);
            var placement = plan.Placement;
            var swarm = context.Swarm;

            Assert.Null(placement.FirstUncoveredBlock());
            Assert.NotEmpty(placement.Chains);
            Assert.Equal(1, plan.Figures["milp_optimal"]);
            foreach (var chain in placement.Chains)
            {
                var next = 0;
                foreach (var hop in chain.Route.Hops)
                {
                    Assert.Equal(next, hop.StartBlock);
                    Assert.True(placement.Spans[hop.Server].Start <= hop.StartBlock && hop.EndBlock == placement.Spans[hop.Server].End);
                    next = hop.EndBlock;
                }
                Assert.Equal(swarm.Model.NumBlocks, next);
            }
            // Weights plus the R planned sessions on their chains fit every server (the MILP's memory rows).
            var sc = swarm.Model.SessionCacheBytesPerBlock(20, 64);
            var r = (int)plan.Figures["milp_sessions_R"];
            for (var j = 0; j < swarm.ServerCount; j++)
            {
                var cache = placement.Chains.Select((c, k) => (r / swarm.ClientCount + (k < r % swarm.ClientCount ? 1 : 0))
                    * sc * c.Route.Hops.Where(h => h.Server == j).Sum(h => h.Blocks)).Sum();
                Assert.True(swarm.Model.BlockBytes * placement.Spans[j].Count + cache <= swarm.Servers[j].MemoryBytes * (1 + 1e-9));
            }
        }
    }

    [Fact]
    public void OptimizedRouting_KeepsPetalsPlacement()
    {
        var context = Small(1);
        var petals = new PetalsPlacementPlanner().Plan(context).Placement;
        var ablation = PlacementCatalog.Find("petals-optimized-routing").Create().Plan(context).Placement;
        Assert.Equal(petals.Spans, ablation.Spans);
        Assert.Equal(petals.Caches, ablation.Caches);
    }

    [Fact]
    public void Milp_PlannedPerTokenTimeNoWorseThanCgBpShortestPaths()
    {
        var compared = 0;
        for (var seed = 0; seed < 4; seed++)
        {
            var context = Small(seed);
            var swarm = context.Swarm;
            var performance = new SwarmPerformanceModel(swarm);
            var milp = new MilpPlanner().Plan(context);
            var cgbp = new CgBpPlanner().Plan(context);
            var r = (int)milp.Figures["milp_sessions_R"];
            if (r != (int)cgbp.Figures["sessions_R"]) continue;  // compare on the same number of sessions only

            // Each client's sessions: the MILP's planned chain against CG-BP's shortest path, per token.
            var router = new ShortestPathRouter(swarm, cgbp.Placement, HopCostMode.Published);
            var state = new SwarmState(swarm, cgbp.Placement);
            double milpMs = 0, cgbpMs = 0;
            for (var c = 0; c < swarm.ClientCount; c++)
            {
                var count = r / swarm.ClientCount + (c < r % swarm.ClientCount ? 1 : 0);
                milpMs += count * performance.Time(milp.Placement.Chains[c].Route, c, context.Typical).PerTokenMs;
                var route = router.Choose(new RoutingQuery(c, context.Typical, 0, state, new Random(0)))!;
                cgbpMs += count * performance.Time(route, c, context.Typical).PerTokenMs;
            }
            Assert.True(milpMs <= cgbpMs + 1e-6, $"seed {seed}: MILP {milpMs} ms > CG-BP {cgbpMs} ms");
            compared++;
        }
        Assert.True(compared >= 2, $"only {compared} instances had the same R");
    }

    [Fact]
    public void Milp_InTheTwin_NeverExceedsMemoryOrChainSlots()
    {
        var context = Small(2);
        var plan = new MilpPlanner().Plan(context);
        var requests = new PoissonWorkload(2.0, 60, new FixedTokenCount(20), new FixedTokenCount(64), [1, 1]).Generate(3);
        var result = SwarmTwin.Run(new SwarmTwinInput(context.Swarm, plan.Placement,
            RouterCatalog.Find("planned-routes").Create()(context.Swarm, plan.Placement), AdmissionCatalog.Find("wait"), requests, 5)
        { CheckInvariants = true, AllocationMs = 60_000 });

        Assert.Empty(result.InvariantViolations);
        Assert.All(result.Requests, r => Assert.True(r.Succeeded));
        Assert.All(result.Servers, m => Assert.True(m.PeakMemoryBytes <= m.MemoryLimitBytes));
        // Every request follows one of the planned routes.
        var planned = plan.Placement.Chains.Select(c => string.Join(",", c.Route.Hops)).ToHashSet();
        Assert.All(result.Requests, r => Assert.Contains(string.Join(",", r.Hops), planned));
    }

    [Theory]
    [InlineData("cp-sat")]
    [InlineData("scip")]
    public void Milp_AtScale_StartsFromTheBestHeuristicAndReportsHonestly(string solver)
    {
        // 16 servers (3 A100-like), L = 70, two clients: the block formulation with the warm start.
        var swarm = TestSwarms.Random(5, servers: 16, clients: 2, a100Fraction: 0.2);
        var context = new PlanningContext(swarm, new RequestShape(20, 64), 0.5, 60_000, 1);
        // SCIP usually stops at its limit here: the time-limited path is checked too.
        var plan = new MilpPlanner(new MilpPlannerOptions { Solver = solver, TimeLimitSeconds = solver == "scip" ? 5 : 20 }).Plan(context);
        var f = plan.Figures;

        Assert.True(f.ContainsKey("milp_start_objective_ms"), "no heuristic plan fitted the model, so the start went unused");
        Assert.True(f["milp_objective_ms"] <= f["milp_start_objective_ms"] + 1e-6, "the search ended worse than the plan it started from");
        Assert.True(f["milp_bound_ms"] <= f["milp_objective_ms"] + 1e-6);
        // Optimal and time-limited exclude each other; optimal means no gap.
        Assert.Equal(1, f["milp_optimal"] + f["milp_time_limited"]);
        if (f["milp_optimal"] == 1) Assert.True(f["milp_gap"] < 1e-6);
        Assert.Null(plan.Placement.FirstUncoveredBlock());
    }

    [Fact]
    public void Milp_TooLargeInstance_RefusedWithClearError()
    {
        var swarm = TestSwarms.Random(1, servers: 60, clients: 3);
        var context = new PlanningContext(swarm, new RequestShape(20, 64), 0.5, 60_000, 1);
        var link = Assert.Throws<StamenInputException>(() => new MilpPlanner(new MilpPlannerOptions { Formulation = "link", Solver = "cbc" }).Plan(context));
        Assert.Contains("small instances", link.Message, StringComparison.Ordinal);
        var block = Assert.Throws<StamenInputException>(() => new MilpPlanner(new MilpPlannerOptions { MaxVariables = 10_000 }).Plan(context));
        Assert.Contains("more than its limit of 10000", block.Message, StringComparison.Ordinal);
        Assert.True(SwarmAlgorithmCatalog.TryFind("milp")!.SmallInstancesOnly);
    }

    [Fact]
    public void Milp_LinkFormulationWithCpSat_RefusedNamingTheOptions()
    {
        var e = Assert.Throws<StamenInputException>(() => new MilpPlanner(new MilpPlannerOptions { Formulation = "link", Solver = "cp-sat" }).Plan(Small(0)));
        Assert.Contains("use formulation: block, or solver: scip", e.Message, StringComparison.Ordinal);
    }
}
