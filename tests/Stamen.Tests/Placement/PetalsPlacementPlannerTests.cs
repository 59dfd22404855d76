using Stamen.Placement;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Placement;

public class PetalsPlacementPlannerTests
{
    private static readonly PetalsPlacementOptions Options = PetalsPlacementOptions.Default;

    [Theory]
    [InlineData(86.13e9, 70, 53)] // reference: "PETALS puts 53 blocks on an A100"
    [InlineData(9.1e9, 4, 4)]     // "... and 4 on a MIG"
    public void BlocksFor_ReferenceServers_MatchPublishedCounts(double memoryBytes, int maxBlocks, int published)
    {
        var bloom = TestSwarms.Bloom();
        var server = TestSwarms.ServerWithMemory("s", maxBlocks == 4 ? TestSwarms.Mig : TestSwarms.A100, memoryBytes, maxBlocks);
        // PETALS: floor((M - 2 GiB * d/14336) / (s_m + 2 d * 4096 tokens * 2 bytes)), capped.
        var sm = 2_466_437_120 * 4.25 / 8 * 1.01;
        var cachePerBlock = 2.0 * 14336 * 4096 * 2;
        var formula = (int)Math.Min(Math.Floor((memoryBytes - 2.0 * (1L << 30)) / (sm + cachePerBlock)), maxBlocks);

        var blocks = PetalsPlacementPlanner.BlocksFor(server, bloom, Options);

        Assert.Equal(formula, blocks);
        Assert.Equal(published, blocks);
        Assert.Equal(0.2349e9, PetalsPlacementPlanner.CacheBytesPerBlock(bloom, Options), 0.0001e9);
    }

    [Fact]
    public void BlocksFor_GroupedQueryModel_Reserves16384TokensOverKvGroups()
    {
        var gqa = TestSwarms.Bloom() with { NumKvHeads = 14 }; // 8 query heads per KV head
        var cache = PetalsPlacementPlanner.CacheBytesPerBlock(gqa, Options);
        Assert.Equal(2.0 * 14336 / 8 * 16384 * 2, cache);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Plan_IdenticalServersThatExactlyFit_TileTheModel(bool rebalance)
    {
        // Five MIG-like servers of 4 blocks each for L = 20: only a tiling covers every block.
        var servers = Enumerable.Range(0, 5).Select(i => TestSwarms.ServerWithMemory($"m{i}", TestSwarms.Mig, 9.1e9, 4)).ToList();
        var rtt = new double[1, 5];
        var swarm = TestSwarms.Build(TestSwarms.Bloom(20), servers, rtt);
        var plan = new PetalsPlacementPlanner(new PetalsPlacementOptions { Rebalance = rebalance })
            .Plan(new PlanningContext(swarm, new RequestShape(20, 64), 0.1, 0, Seed: 3));

        for (var b = 0; b < 20; b++)
            Assert.Single(plan.Placement.ServersHolding(b));
    }

    [Fact]
    public void Plan_Figures_MinThroughputMatchesPlacement()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var swarm = TestSwarms.Random(seed, servers: 15, blocks: 20, a100Fraction: 0.3);
            var plan = new PetalsPlacementPlanner().Plan(new PlanningContext(swarm, new RequestShape(20, 64), 0.1, 0, seed));
            var p = plan.Placement;
            var min = Enumerable.Range(0, p.NumBlocks).Min(b => p.ServersHolding(b)
                .Sum(j => PetalsPlacementPlanner.ServerThroughputRps(swarm.Servers[j], p.Spans[j].Count, swarm.Model, Options)));
            Assert.Equal(min, plan.Figures["min_block_throughput_rps"], 9);
        }
    }

    [Fact]
    public void ServerThroughputRps_FewBlocks_IsForwardRateOverAverageBlocksUsed()
    {
        var bloom = TestSwarms.Bloom();
        var forward = 1000.0 / TestSwarms.A100.DecodeMsPerBlock;
        Assert.Equal(forward / 27.5, PetalsPlacementPlanner.ServerThroughputRps(TestSwarms.A100Server("a"), 54, bloom, Options), 9);
        // A slow network caps it: 1 Mbit/s / (d * 16 bits) requests per second.
        var slow = Options with { NetworkBitsPerSec = 1e6 };
        Assert.Equal(1e6 / (14336 * 16.0), PetalsPlacementPlanner.ServerThroughputRps(TestSwarms.A100Server("a"), 1, bloom, slow), 9);
    }

    [Fact]
    public void Plan_DifferentSeeds_JoinOrderChangesPlacement()
    {
        var swarm = TestSwarms.Random(7, servers: 20, blocks: 70, a100Fraction: 0.3);
        var planner = new PetalsPlacementPlanner(new PetalsPlacementOptions { Rebalance = false });
        var distinct = Enumerable.Range(0, 10)
            .Select(seed => string.Join(",", planner.Plan(new PlanningContext(swarm, new RequestShape(20, 64), 0.1, 0, seed)).Placement.Spans))
            .Distinct()
            .Count();
        Assert.True(distinct > 1);
    }
}
