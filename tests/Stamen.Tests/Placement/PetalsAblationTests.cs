using Stamen.Placement;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Placement;

/// <summary>The published ablations: PETALS with CG-BP's server order, or with CG-BP's block counts.</summary>
public class PetalsAblationTests
{
    private static PlanningContext Context(int seed) =>
        new(TestSwarms.Random(seed, servers: 12, clients: 2), new RequestShape(20, 64), 0.5, 60_000, seed);

    [Fact]
    public void OptimizedNumber_UsesCgBpBlockCountsAndCachePools()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var context = Context(seed);
            var cgbp = new CgBpPlanner().Plan(context).Placement;
            var ablation = PlacementCatalog.Find("petals-optimized-number").Create().Plan(context).Placement;

            Assert.Equal(cgbp.Spans.Select(s => s.Count), ablation.Spans.Select(s => s.Count));
            Assert.Equal(cgbp.Caches, ablation.Caches);
            Assert.Null(ablation.FirstUncoveredBlock());
        }
    }

    [Fact]
    public void OptimizedOrder_KeepsPetalsCountsAndIgnoresTheSeedForJoinOrder()
    {
        var petals = new PetalsPlacementOptions();
        for (var seed = 0; seed < 30; seed++)
        {
            var context = Context(seed);
            var planner = new PetalsPlacementPlanner(petals with { JoinOrder = PetalsJoinOrder.CgBpAmortizedTime, Rebalance = false });
            var plan = planner.Plan(context).Placement;
            var expectedCounts = context.Swarm.Servers.Select(s => PetalsPlacementPlanner.BlocksFor(s, context.Swarm.Model, petals));

            Assert.Equal(expectedCounts, plan.Spans.Select(s => s.Count));
            Assert.Null(plan.FirstUncoveredBlock());
            // The join order is CG-BP's, not a shuffle: without rebalancing, another seed gives the same plan.
            Assert.Equal(plan.Spans, planner.Plan(context with { Seed = seed + 1000 }).Placement.Spans);
        }
    }

    [Fact]
    public void OptimizedOrder_FastestServerJoinsFirstAndTakesBlockZero()
    {
        // The first server to join sees only uncovered blocks and takes the lexicographically first window, at 0.
        var context = Context(7);
        var plan = new PetalsPlacementPlanner(new PetalsPlacementOptions { JoinOrder = PetalsJoinOrder.CgBpAmortizedTime, Rebalance = false })
            .Plan(context).Placement;
        var cgbp = new CgBpPlanner().Plan(context).Placement;
        var swarm = context.Swarm;
        double Amortized(int j) => swarm.Servers[j].Times.DecodeMsPerBlock
            + Enumerable.Range(0, swarm.ClientCount).Max(c => swarm.Delays.PerTokenRttMs(c, j)) / cgbp.Spans[j].Count;
        var first = Enumerable.Range(0, swarm.ServerCount).Where(j => cgbp.Spans[j].Count > 0).OrderBy(Amortized).ThenBy(j => j).First();

        Assert.Equal(0, plan.Spans[first].Start);
    }
}
