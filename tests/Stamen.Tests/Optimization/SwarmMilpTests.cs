using Stamen.Hardware;
using Stamen.Model;
using Stamen.Optimization.Milp;
using Stamen.Optimization.SwarmMilp;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Swarm;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Optimization;

public class SwarmMilpTests
{
    private static readonly MilpOptions Exact = new() { TimeLimitSeconds = 30, RelativeGap = 0 };
    private const double SessionBytes = 0.1e9;

    /// <summary>A toy model: 1 GB blocks; servers of 1.5-6 GB with random speeds and RTTs, so memory binds.</summary>
    private static SwarmSpec TinySwarm(int seed, int servers, int blocks, int clients = 1)
    {
        var rng = new Random(seed);
        var model = new ModelSpec("toy", blocks, 1000, 8, 8, 4000, 1000, 500_000_000, 16, 1, 2);
        var list = Enumerable.Range(0, servers).Select(j => new ServerSpec($"s{j}", "toy-gpu", -1,
            (1.5 + rng.NextDouble() * 4.5) * 1e9, new BlockTimes(1 + rng.NextDouble() * 19, 0.05, 10), blocks)).ToList();
        var rtt = new double[clients, servers];
        for (var c = 0; c < clients; c++)
            for (var j = 0; j < servers; j++)
                rtt[c, j] = 5 + rng.NextDouble() * 95;
        return TestSwarms.Build(model, list, rtt, rng);
    }

    private static IReadOnlyList<RequestGroup> Groups(int seed, int clients)
    {
        var rng = new Random(seed + 1);
        var count = 1 + rng.Next(2);
        return Enumerable.Range(0, count).Select(g => new RequestGroup(g % clients, 1 + rng.Next(4), 1)).ToList();
    }

    public static TheoryData<string, int, int, int> TinyInstances()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var formulation in (string[])["link", "block", "block/cp-sat", "block/scip"])
        {
            for (var seed = 0; seed < 8; seed++) data.Add(formulation, seed, 2, 6);
            for (var seed = 0; seed < 8; seed++) data.Add(formulation, seed, 3, 5);
            for (var seed = 0; seed < 4; seed++) data.Add(formulation, seed, 4, 4);
        }
        return data;
    }

    /// <summary>"link" or "block" with the system CBC, or "block/SOLVER" with a catalog solver.</summary>
    private static ISwarmMilpFormulation Formulation(string name) => name switch
    {
        "link" => new LinkSwarmFormulation(new CbcMilpSolver()),
        "block" => new BlockSwarmFormulation(new CbcMilpSolver()),
        _ => new BlockSwarmFormulation(MilpSolverCatalog.Create(name["block/".Length..])),
    };

    [Theory]
    [MemberData(nameof(TinyInstances))]
    public void Solve_TinyInstance_EqualsBruteForce(string formulation, int seed, int servers, int blocks)
    {
        var swarm = TinySwarm(seed, servers, blocks, clients: 2);
        var instance = new SwarmMilpInstance(swarm, SessionBytes, Groups(seed, 2));

        var brute = BruteForce.Optimum(instance);
        var milp = Formulation(formulation).Solve(instance, Exact);

        if (brute is null)
        {
            Assert.Equal(MilpStatus.Infeasible, milp.Status);
            return;
        }
        Assert.Equal(MilpStatus.Optimal, milp.Status);
        Assert.Equal(brute.Value, milp.ObjectiveMs, 6);
        // The returned plan is what the objective claims, and it fits in memory.
        Assert.Equal(milp.ObjectiveMs, BruteForce.Evaluate(instance, milp.Spans, milp.Routes)!.Value, 6);
    }

    [Theory]
    [InlineData("link")]
    [InlineData("block")]
    [InlineData("block/cp-sat")]
    public void Solve_FixedPlacement_RoutesOptimallyOnIt(string formulation)
    {
        for (var seed = 0; seed < 6; seed++)
        {
            var swarm = TinySwarm(seed, 3, 5, clients: 2);
            var groups = Groups(seed, 2);
            var free = Formulation(formulation).Solve(new SwarmMilpInstance(swarm, SessionBytes, groups), Exact);
            if (free.Status != MilpStatus.Optimal) continue;

            var fixedRun = Formulation(formulation).Solve(new SwarmMilpInstance(swarm, SessionBytes, groups, free.Spans), Exact);

            Assert.Equal(free.Spans, fixedRun.Spans);
            Assert.Equal(BruteForce.Optimum(new SwarmMilpInstance(swarm, SessionBytes, groups, free.Spans))!.Value, fixedRun.ObjectiveMs, 6);
        }
    }

    [Fact]
    public void Solve_NeverWorseThanCgBpWithShortestPaths()
    {
        var compared = 0;
        for (var seed = 0; seed < 12; seed++)
        {
            var swarm = TinySwarm(seed, 3, 5);
            var shape = new RequestShape(20, 64);
            var plan = new CgBpPlanner(new CgBpOptions { FixedSessions = 2 }).Plan(new PlanningContext(swarm, shape, 0.1, 0, seed));
            // CG-BP leaves cache for R = 2 sessions of s_c on every block it places: the MILP with the same
            // two sessions (same s_c) can at least reproduce CG-BP's plan with its shortest-path routes.
            var sc = swarm.Model.SessionCacheBytesPerBlock(shape.PromptTokens, shape.OutputTokens);
            var groups = new[] { new RequestGroup(0, 2, 1) };
            var route = new ShortestPathRouter(swarm, plan.Placement, HopCostMode.Published).Choose(
                new RoutingQuery(0, shape, 0, new StaticSwarmState(swarm, plan.Placement), new Random(0)))!;
            var heuristic = BruteForce.Evaluate(new SwarmMilpInstance(swarm, sc, groups), plan.Placement.Spans, [route]);
            if (heuristic is null) continue;

            var milp = new LinkSwarmFormulation(new CbcMilpSolver()).Solve(new SwarmMilpInstance(swarm, sc, groups), Exact);
            Assert.Equal(MilpStatus.Optimal, milp.Status);
            Assert.True(milp.ObjectiveMs <= heuristic.Value + 1e-6, $"seed {seed}: MILP {milp.ObjectiveMs} > CG-BP {heuristic}");
            compared++;
        }
        Assert.True(compared >= 6, $"only {compared} instances were comparable");
    }

    [Fact]
    public void Solve_ModelDoesNotFit_ReportsInfeasible()
    {
        var swarm = TinySwarm(1, 2, 6);
        var tiny = swarm with { Servers = swarm.Servers.Select(s => s with { MemoryBytes = 1.2e9 }).ToList() };
        var result = new LinkSwarmFormulation(new CbcMilpSolver()).Solve(new SwarmMilpInstance(tiny, SessionBytes, [new RequestGroup(0, 1, 1)]), Exact);
        Assert.Equal(MilpStatus.Infeasible, result.Status);
        Assert.Empty(result.Routes);
    }

    [Fact]
    public void Block_EqualsLink_OnLargerInstances()
    {
        var compared = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            var swarm = TinySwarm(100 + seed, 4, 8, clients: 2);
            var instance = new SwarmMilpInstance(swarm, SessionBytes, Groups(seed, 2));
            var link = new LinkSwarmFormulation(new CbcMilpSolver()).Solve(instance, Exact);
            var block = new BlockSwarmFormulation(MilpSolverCatalog.Create("cp-sat")).Solve(instance, Exact);
            Assert.Equal(link.Status, block.Status);
            if (link.Status != MilpStatus.Optimal) continue;
            Assert.Equal(link.ObjectiveMs, block.ObjectiveMs, 6);
            Assert.Equal(block.ObjectiveMs, BruteForce.Evaluate(instance, block.Spans, block.Routes)!.Value, 6);
            compared++;
        }
        Assert.True(compared >= 4, $"only {compared} instances were feasible");
    }

    [Fact]
    public void Block_PointOfAPlan_IsFeasibleWithTheObjectiveTheTwinModelGives()
    {
        var checkedPlans = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            var swarm = TinySwarm(seed, 3, 5);
            var shape = new RequestShape(20, 64);
            var plan = new CgBpPlanner(new CgBpOptions { FixedSessions = 2 }).Plan(new PlanningContext(swarm, shape, 0.1, 0, seed));
            var sc = swarm.Model.SessionCacheBytesPerBlock(shape.PromptTokens, shape.OutputTokens);
            var instance = new SwarmMilpInstance(swarm, sc, [new RequestGroup(0, 2, 1)]);
            var route = new ShortestPathRouter(swarm, plan.Placement, HopCostMode.Published).Choose(
                new RoutingQuery(0, shape, 0, new StaticSwarmState(swarm, plan.Placement), new Random(0)))!;
            var expected = BruteForce.Evaluate(instance, plan.Placement.Spans, [route]);
            var built = BlockSwarmFormulation.Build(instance);
            var point = built.PointOf(plan.Placement.Spans, [route]);
            if (expected is null)
            {
                Assert.Null(point);
                continue;
            }
            Assert.NotNull(point);
            Assert.Equal(expected.Value, built.Model.EvaluateObjective(point), 6);
            var (spans, routes) = built.Read(point);
            Assert.Equal(plan.Placement.Spans.Select(s => s.IsEmpty ? BlockSpan.None : s), spans);
            Assert.Equal(route.Hops, routes[0].Hops);
            checkedPlans++;
        }
        Assert.True(checkedPlans >= 5, $"only {checkedPlans} heuristic plans fit the model");
    }

    /// <summary>Every placement, every chain, every assignment of chains to groups.</summary>
    private static class BruteForce
    {
        public static double? Optimum(SwarmMilpInstance instance)
        {
            var swarm = instance.Swarm;
            var l = swarm.Model.NumBlocks;
            var options = Enumerable.Range(0, swarm.ServerCount).Select(j => SpanOptions(instance, j, l)).ToList();
            double? best = null;
            foreach (var spans in Cartesian(options))
            {
                var chains = Chains(spans, l);
                if (chains.Count == 0) continue;
                foreach (var assignment in Cartesian(instance.Groups.Select(_ => chains).ToList()))
                {
                    var value = Evaluate(instance, spans, assignment);
                    if (value is { } v && (best is null || v < best)) best = v;
                }
            }
            return best;
        }

        /// <summary>The MILP's objective for this plan, or null when it breaks memory.</summary>
        public static double? Evaluate(SwarmMilpInstance instance, IReadOnlyList<BlockSpan> spans, IReadOnlyList<Route> routes)
        {
            var swarm = instance.Swarm;
            var cache = new double[swarm.ServerCount];
            var total = 0.0;
            for (var g = 0; g < instance.Groups.Count; g++)
            {
                var group = instance.Groups[g];
                foreach (var hop in routes[g].Hops)
                {
                    cache[hop.Server] += group.Count * instance.SessionCacheBytesPerBlock * hop.Blocks;
                    total += group.Count * group.Weight * (swarm.Delays.PerTokenRttMs(group.Client, hop.Server) + hop.Blocks * swarm.Servers[hop.Server].Times.DecodeMsPerBlock);
                }
            }
            for (var j = 0; j < swarm.ServerCount; j++)
            {
                var room = instance.FixedSpans is null
                    ? swarm.Servers[j].MemoryBytes - swarm.Model.BlockBytes * spans[j].Count
                    : instance.CacheBytesAvailable?[j] ?? swarm.Servers[j].MemoryBytes - swarm.Model.BlockBytes * spans[j].Count;
                if (cache[j] > room * (1 + 1e-9) + 1e-6) return null;
            }
            return total;
        }

        private static List<BlockSpan> SpanOptions(SwarmMilpInstance instance, int j, int l)
        {
            if (instance.FixedSpans is { } fixedSpans) return [fixedSpans[j]];
            var server = instance.Swarm.Servers[j];
            var list = new List<BlockSpan> { BlockSpan.None };
            for (var start = 0; start < l; start++)
                for (var count = 1; start + count <= l && count <= server.MaxBlocks; count++)
                    if (count * instance.Swarm.Model.BlockBytes <= server.MemoryBytes) list.Add(new BlockSpan(start, count));
            return list;
        }

        private static List<Route> Chains(IReadOnlyList<BlockSpan> spans, int l)
        {
            var result = new List<Route>();
            void Extend(int from, List<RouteHop> hops, HashSet<int> used)
            {
                if (from == l) { result.Add(new Route([.. hops])); return; }
                for (var j = 0; j < spans.Count; j++)
                {
                    if (used.Contains(j) || spans[j].IsEmpty || !spans[j].Contains(from)) continue;
                    hops.Add(new RouteHop(j, from, spans[j].End));
                    used.Add(j);
                    Extend(spans[j].End, hops, used);
                    used.Remove(j);
                    hops.RemoveAt(hops.Count - 1);
                }
            }
            Extend(0, [], []);
            return result;
        }

        private static IEnumerable<T[]> Cartesian<T>(IReadOnlyList<List<T>> choices)
        {
            var index = new int[choices.Count];
            if (choices.Any(c => c.Count == 0)) yield break;
            while (true)
            {
                yield return index.Select((k, i) => choices[i][k]).ToArray();
                var pos = 0;
                while (pos < index.Length && ++index[pos] == choices[pos].Count) index[pos++] = 0;
                if (pos == index.Length) yield break;
            }
        }
    }
}
