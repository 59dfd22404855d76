using Stamen.Placement;
using Stamen.Swarm;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Placement;

/// <summary>Invariants every catalog planner keeps, over many seeded random swarms.</summary>
public class PlannerPropertyTests
{
    private const int Instances = 200;

    // The MILP planners are exact on small instances only; SwarmMilpTests and MilpPlannerTests cover them.
    public static TheoryData<string> Planners => [.. ScalableCatalogs.Planners.Select(e => e.Name)];

    internal static PlanningContext Context(SwarmSpec swarm, int seed)
    {
        var rng = new Random(seed);
        var shape = new RequestShape(20, rng.Next(2) == 0 ? 64 : 128);
        return new PlanningContext(swarm, shape, rng.Next(2) == 0 ? 0.1 : 0.5, rng.Next(2) == 0 ? 70 : 60_070, seed);
    }

    /// <summary>Blocks the servers could hold at most under the planner's memory rule (CG-BP: with R = 1).</summary>
    private static long Capacity(string planner, SwarmSpec swarm, RequestShape shape)
    {
        var m = swarm.Model;
        // The rule that sets the block counts decides: PETALS' own, except the ablation that takes CG-BP's.
        if (planner.StartsWith("petals", StringComparison.Ordinal) && planner != "petals-optimized-number")
            return swarm.Servers.Sum(s => (long)PetalsPlacementPlanner.BlocksFor(s, m, PetalsPlacementOptions.Default));
        var sc = m.SessionCacheBytesPerBlock(shape.PromptTokens, shape.OutputTokens);
        return swarm.Servers.Sum(s => (long)Math.Min(Math.Min(Math.Floor(s.MemoryBytes / (m.BlockBytes + sc)), m.NumBlocks), s.MaxBlocks));
    }

    [Theory]
    [MemberData(nameof(Planners))]
    public void Plan_RandomSwarms_CoversEveryBlockWithinMemoryOrReportsUnfit(string planner)
    {
        var entry = PlacementCatalog.Find(planner);
        var planned = 0;
        for (var seed = 0; seed < Instances; seed++)
        {
            var swarm = TestSwarms.RandomInstance(seed);
            var context = Context(swarm, seed);
            var capacity = Capacity(planner, swarm, context.Typical);
            if (capacity < swarm.Model.NumBlocks)
            {
                Assert.Throws<StamenInputException>(() => entry.Create().Plan(context));
                continue;
            }

            var plan = entry.Create().Plan(context);
            planned++;
            var p = plan.Placement;
            Assert.Equal(swarm.Model.NumBlocks, p.NumBlocks);
            Assert.Equal(swarm.ServerCount, p.ServerCount);
            Assert.Null(p.FirstUncoveredBlock());
            for (var j = 0; j < p.ServerCount; j++)
            {
                var span = p.Spans[j];
                var server = swarm.Servers[j];
                if (span.IsEmpty) continue;
                Assert.InRange(span.Start, 0, p.NumBlocks - 1);
                Assert.InRange(span.End, 1, p.NumBlocks);
                Assert.True(span.Count <= server.MaxBlocks, $"seed {seed}: server {j} holds {span.Count} > {server.MaxBlocks}");
                var cache = p.Caches[j];
                var used = swarm.Model.BlockBytes * span.Count + (cache.PerBlock ? cache.PoolBytes * span.Count : cache.PoolBytes);
                Assert.True(used <= server.MemoryBytes * (1 + 1e-12), $"seed {seed}: server {j} uses {used} > {server.MemoryBytes}");
                if (plan.Figures.TryGetValue("sessions_R", out var r))
                {
                    var sc = swarm.Model.SessionCacheBytesPerBlock(context.Typical.PromptTokens, context.Typical.OutputTokens);
                    Assert.True(swarm.Model.BlockBytes * span.Count + sc * r * span.Count <= server.MemoryBytes * (1 + 1e-12),
                        $"seed {seed}: server {j} has no room for R = {r} sessions over its {span.Count} blocks");
                }
            }
        }
        Assert.True(planned >= Instances / 3, $"only {planned} of {Instances} instances were plannable");
    }

    [Theory]
    [MemberData(nameof(Planners))]
    public void Plan_SameSeed_SamePlan(string planner)
    {
        var entry = PlacementCatalog.Find(planner);
        for (var seed = 0; seed < 30; seed++)
        {
            var swarm = TestSwarms.Random(seed, servers: 12, clients: 2, blocks: 20, a100Fraction: 0.3);
            var a = entry.Create().Plan(Context(swarm, seed));
            var b = entry.Create().Plan(Context(swarm, seed));
            Assert.Equal(a.Placement.Spans, b.Placement.Spans);
            Assert.Equal(a.Placement.Caches, b.Placement.Caches);
            Assert.Equal(a.Figures, b.Figures);
        }
    }

    [Theory]
    [MemberData(nameof(Planners))]
    public void Plan_ModelTooLarge_ThrowsInputErrorNamingServers(string planner)
    {
        var swarm = TestSwarms.Build(TestSwarms.Bloom(), [TestSwarms.MigServer("m0"), TestSwarms.MigServer("m1")], new double[,] { { 5, 5 } });

        var e = Assert.Throws<StamenInputException>(() => PlacementCatalog.Find(planner).Create().Plan(Context(swarm, 1)));

        Assert.Equal("servers", e.Field);
        Assert.Contains("70 blocks do not fit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_UnknownName_ThrowsListingEveryPlanner()
    {
        var e = Assert.Throws<StamenInputException>(() => PlacementCatalog.Find("nope"));
        foreach (var entry in PlacementCatalog.All)
            Assert.Contains(entry.Name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_Names_AreUnique()
    {
        var names = PlacementCatalog.All.Select(e => e.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
