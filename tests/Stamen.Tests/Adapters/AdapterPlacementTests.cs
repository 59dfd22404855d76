using FsCheck;
using FsCheck.Fluent;
using Stamen.Adapters;
using Stamen.Adapters.Placement;
using Stamen.Optimization.Milp;
using Stamen.Scenarios.Adapters;

namespace Stamen.Tests.Adapters;

public sealed class AdapterPlacementTests
{
    private static readonly GpuServingTwin Twin = AdapterFixtures.Twin();

    [Fact]
    public void Place_EveryMethodOnRandomWorkloads_EachAdapterOnceAndSlotsWithinMemory()
    {
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var rng = new Random(seed);
            int[] ranks = [8, 16, 32];
            var adapters = Enumerable.Range(0, rng.Next(1, 400))
                .Select(k => new AdapterDemand($"a{k}", ranks[rng.Next(3)], rng.NextDouble() * rng.Next(1, 4))).ToArray();
            var predictor = new RateCapacityPredictor(5 + rng.NextDouble() * 20);
            foreach (var method in AdapterPlacerCatalog.All)
            {
                var plan = method.Place(new AdapterPlacementContext(adapters, Twin, predictor, seed));

                Assert.Equal(adapters.Select(a => a.Name).Order(), plan.Gpus.SelectMany(g => g.Adapters).Select(a => a.Name).Order());
                Assert.All(plan.Gpus, g =>
                {
                    Assert.NotEmpty(g.Adapters);
                    Assert.InRange(g.Slots, 1, g.Adapters.Count);
                    Assert.True(g.Slots <= Twin.MaxSlots(g.MaxRank), $"{method.Name}: {g.Slots} slots at rank {g.MaxRank} exceed the memory limit");
                    Assert.NotNull(Twin.KvCapacityTokens(g.Slots, g.MaxRank));
                });
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(30));
    }

    [Fact]
    public void Greedy_CapacityPredictor_FillsToCheckpointsAndBisectFillsBetween()
    {
        // 100 adapters at 1 req/s, a GPU carries 70: the published greedy stops at the checkpoint 64, bisection at 70 (63 with 10% headroom).
        var adapters = Enumerable.Range(0, 100).Select(k => new AdapterDemand($"a{k:D3}", 16, 1.0)).ToArray();
        var context = new AdapterPlacementContext(adapters, Twin, new RateCapacityPredictor(70));

        var greedy = new GreedyAdapterPlacer().Place(context);
        var bisect = new GreedyBisectPlacer().Place(context);

        Assert.Equal([64, 36], greedy.Gpus.Select(g => g.Adapters.Count));
        Assert.Equal([64, 36], bisect.Gpus.Select(g => g.Adapters.Count));
        var tighter = new AdapterPlacementContext(adapters, Twin, new RateCapacityPredictor(80));
        Assert.Equal([72, 28], new GreedyBisectPlacer().Place(tighter).Gpus.Select(g => g.Adapters.Count));
        Assert.Equal([64, 36], new GreedyAdapterPlacer().Place(tighter).Gpus.Select(g => g.Adapters.Count));
    }

    [Fact]
    public void ZigZagByRank_RanksDescendingRatesAlternatingExtremes()
    {
        var adapters = new[] { ("a", 8, 1.0), ("b", 8, 5.0), ("c", 32, 2.0), ("d", 8, 3.0), ("e", 8, 4.0), ("f", 32, 9.0) }
            .Select(x => new AdapterDemand(x.Item1, x.Item2, x.Item3)).ToArray();

        Assert.Equal(["f", "c", "b", "a", "e", "d"], GreedyAdapterPlacer.ZigZagByRank(adapters).Select(a => a.Name));
    }

    [Fact]
    public void OneAdapterTooBusyForAGpu_PlacedAloneAndReportedStarvedWithoutEndlessGpus()
    {
        var adapters = new[] { new AdapterDemand("hot", 8, 50) }.Concat(Enumerable.Range(0, 20).Select(k => new AdapterDemand($"c{k}", 8, 0.5))).ToArray();
        var context = new AdapterPlacementContext(adapters, Twin, new RateCapacityPredictor(10));

        foreach (var method in (IAdapterPlacer[])[new GreedyAdapterPlacer(), new ProactivePlacer(), new BalancedPlacer()])
        {
            var plan = method.Place(context);
            // 60 req/s against GPUs of 10: six at most, never one per adapter.
            Assert.True(plan.GpuCount <= 7, $"{method.Name} used {plan.GpuCount} GPUs");
            Assert.Equal(1, plan.PredictedStarvedGpus);
            Assert.Single(plan.Gpus, g => g.Adapters.Any(a => a.Name == "hot") && g.Adapters.Count == 1);
        }
    }

    [Fact]
    public void DefaultWorkload_GreedyWithTheTwin_VerifiedOnOtherArrivalsHasNoStarvingGpuAndRespectsTheLowerBound()
    {
        var workload = AdapterWorkloadParser.Load(null);
        var predictor = new TwinGpuLoadPredictor(workload.Twin);

        var plan = new GreedyAdapterPlacer().Place(new AdapterPlacementContext(workload.Adapters, workload.Twin, predictor, workload.Seed));
        var verified = PlacementVerifier.Verify(plan, workload.Twin.WithSeed(workload.Seed + 1));
        var bound = GpuLowerBound.Compute(workload.Adapters, workload.Twin);

        Assert.Equal(0, plan.PredictedStarvedGpus);
        Assert.Equal(0, verified.StarvedGpus);
        Assert.All(verified.Gpus, g => Assert.True(g.Starts));
        Assert.True(plan.GpuCount >= bound.Gpus);
        Assert.True(bound.Gpus >= 1);
    }

    [Fact]
    public void LowerBound_BinPackingMilp_EqualsBruteForceOnTinyCasesAndNeverBelowAnalytic()
    {
        var solver = new CbcMilpSolver();
        var capacity = GpuLowerBound.Compute([new AdapterDemand("x", 8, 1)], Twin).CapacityTokensPerSec;
        var perRequest = Twin.PromptTokens.Mean + Twin.OutputTokens.Mean;
        var rng = new Random(4);
        for (var trial = 0; trial < 6; trial++)
        {
            // Rates between a quarter and 0.7 of a bin, so items pair up unevenly and the LP bound is loose.
            var adapters = Enumerable.Range(0, rng.Next(3, 8))
                .Select(k => new AdapterDemand($"a{k}", 8, capacity / 0.9 / perRequest * (0.25 + 0.45 * rng.NextDouble()))).ToArray();

            var bound = GpuLowerBound.Compute(adapters, Twin, solver);

            Assert.NotNull(bound.MilpGpus);
            Assert.Equal(BruteForceBins(adapters.Select(a => a.RatePerSec * perRequest).ToArray(), capacity / 0.9), bound.MilpGpus);
            Assert.True(bound.Gpus >= bound.AnalyticGpus);
        }
    }

    private static int BruteForceBins(double[] sizes, double capacity)
    {
        for (var bins = 1; bins <= sizes.Length; bins++)
            if (Fits(sizes, new double[bins], 0, capacity)) return bins;
        return sizes.Length;
    }

    private static bool Fits(double[] sizes, double[] loads, int i, double capacity)
    {
        if (i == sizes.Length) return true;
        for (var b = 0; b < loads.Length; b++)
        {
            if (loads[b] + sizes[i] > capacity + 1e-9) continue;
            loads[b] += sizes[i];
            if (Fits(sizes, loads, i + 1, capacity)) return true;
            loads[b] -= sizes[i];
            if (loads[b] == 0) break;
        }
        return false;
    }
}
