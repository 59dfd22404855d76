using FsCheck;
using FsCheck.Fluent;
using Stamen.Split;

namespace Stamen.Tests.Split;

public sealed class SplitDynamicProgramTests
{
    /// <summary>A random problem with whole-millisecond costs (so a 1 ms step loses nothing) and non-uniform layers.</summary>
    private static SplitProblem RandomProblem(Random rng, int layers, bool wholeMs)
    {
        double Cost(double max) => wholeMs ? rng.Next(1, (int)max + 1) : 0.5 + rng.NextDouble() * max;
        var costs = Enumerable.Range(0, layers).Select(_ => new LayerCost(Cost(40), Cost(8), Cost(10))).ToArray();
        var serverOnly = costs.Sum(c => c.ServerMs);
        return new SplitProblem(costs, Cost(5), Cost(30), Cost(30), Cost(5), rng.Next(0, layers + 2), Math.Round(serverOnly * (0.5 + 3 * rng.NextDouble())));
    }

    private static (double Work, bool Found) BruteForce(SplitProblem p)
    {
        var best = double.PositiveInfinity;
        for (var mask = 0; mask < 1 << p.LayerCount; mask++)
        {
            var onClient = Enumerable.Range(0, p.LayerCount).Select(i => (mask >> i & 1) == 1).ToArray();
            if (onClient.Count(c => c) > p.MaxClientLayers || p.LatencyMs(onClient) > p.SlaMs + 1e-9) continue;
            best = Math.Min(best, p.ServerWorkMs(onClient));
        }
        return (best, best < double.PositiveInfinity);
    }

    [Fact]
    public void Solve_WholeMillisecondCosts_EqualsBruteForceOverAll2PowLPlacements()
    {
        var found = 0;
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var rng = new Random(seed);
            var p = RandomProblem(rng, rng.Next(1, 15), wholeMs: true);

            var dp = new SplitDynamicProgram(1.0).Plan(p);
            var (work, feasible) = BruteForce(p);

            Assert.Equal(feasible, dp is not null);
            if (dp is null) return;
            found++;
            Assert.Equal(work, dp.ServerWorkMs, 9);
            Assert.True(dp.MeetsSla);
            Assert.True(dp.ClientLayers <= p.MaxClientLayers);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
        Assert.True(found > 50, "most random problems should be feasible");
    }

    [Fact]
    public void Solve_RealCosts_MeetsTheSlaExactlyNeverBeatsBruteForceAndNeverLosesToTheBaselines()
    {
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var rng = new Random(seed);
            var p = RandomProblem(rng, rng.Next(1, 13), wholeMs: false);

            var dp = new SplitDynamicProgram(0.05).Plan(p);
            var (work, feasible) = BruteForce(p);

            if (dp is null) return;
            Assert.True(feasible);
            Assert.True(dp.MeetsSla, $"exact latency {dp.LatencyMs} over the SLA {p.SlaMs}");
            Assert.True(dp.ServerWorkMs >= work - 1e-9, "a discretised program cannot beat the exact optimum");
            foreach (var baseline in (SplitPlan[])[new GreedySplit().Plan(p), new SingleCutSplit().Plan(p), new ServerOnlySplit().Plan(p)])
            {
                if (!baseline.MeetsSla) continue;
                // Rounding up every cost can only hide placements within a step per term of the SLA; with a 0.05 ms step
                // and at most 40 terms the program may miss a baseline that sits within 2 ms of the SLA.
                if (baseline.LatencyMs > p.SlaMs - 2) continue;
                Assert.True(dp.ServerWorkMs <= baseline.ServerWorkMs + 1e-9, $"{baseline.Method} {baseline.ServerWorkMs} beat dp {dp.ServerWorkMs}");
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    [Fact]
    public void Solve_SlaBelowTheFastestPlacement_ReturnsNullAndFastestSaysByHowMuch()
    {
        var p = new SplitProblem([new LayerCost(10, 2, 2), new LayerCost(10, 2, 2)], 5, 5, 5, 1, 2, SlaMs: 7);

        Assert.Null(new SplitDynamicProgram(1).Plan(p));
        var fastest = new FastestSplit().Plan(p);
        Assert.Equal(10, fastest.LatencyMs, 9);
        Assert.False(fastest.MeetsSla);
        Assert.Equal("S 1-2", fastest.Describe());
    }

    [Fact]
    public void Solve_SwitchesBackAndForthWhenThatIsCheapest()
    {
        // Layers 2 and 4 are cheap on the client and dear on the server; links are nearly free.
        var costs = new[] { new LayerCost(50, 1, 1), new LayerCost(1, 1, 100), new LayerCost(50, 1, 1), new LayerCost(1, 1, 100), new LayerCost(50, 1, 1) };
        var p = new SplitProblem(costs, 0.5, 0.5, 0.5, 0.5, 5, SlaMs: 10);

        var dp = new SplitDynamicProgram(0.5).Plan(p)!;

        Assert.Equal("S 1, C 2, S 3, C 4, S 5", dp.Describe());
        Assert.Equal(6, dp.Switches);
        Assert.Equal(3, dp.ServerWorkMs, 9);
        Assert.True(new SingleCutSplit().Plan(p).ServerWorkMs > 100, "one cut cannot keep both dear layers off the server");
    }

    [Fact]
    public void Solve_GreedysBestRatioMoveBlocksALargerSaving_TheProgramTakesIt()
    {
        // Moving the last layer adds 1 ms and saves 5 (ratio 5); moving the first adds 5 ms and saves 20 (ratio 4);
        // the SLA leaves 5 ms of slack: the greedy moves the last layer and has no room left for the first.
        var costs = new[] { new LayerCost(1, 1, 20), new LayerCost(100, 1, 1), new LayerCost(1, 1, 5) };
        var p = new SplitProblem(costs, InputUplinkMs: 0.5, UplinkMs: 5.5, DownlinkMs: 1.5, FinalDownlinkMs: 0.5, MaxClientLayers: 3, SlaMs: 9);

        var dp = new SplitDynamicProgram(0.5).Plan(p)!;
        var greedy = new GreedySplit().Plan(p);

        Assert.Equal("C 1, S 2-3", dp.Describe());
        Assert.Equal(6, dp.ServerWorkMs, 9);
        Assert.Equal("S 1-2, C 3", greedy.Describe());
        Assert.Equal(21, greedy.ServerWorkMs, 9);
    }

    [Fact]
    public void Solve_ClientMemoryCapsClientLayers()
    {
        var costs = Enumerable.Repeat(new LayerCost(1, 5, 5), 6).ToArray();
        var p = new SplitProblem(costs, 1, 1, 1, 1, MaxClientLayers: 2, SlaMs: 1000);

        var dp = new SplitDynamicProgram(1).Plan(p)!;

        Assert.Equal(2, dp.ClientLayers);
        Assert.Equal(20, dp.ServerWorkMs, 9);
    }
}
