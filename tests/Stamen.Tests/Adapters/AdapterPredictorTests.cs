using Stamen.Adapters;
using Stamen.Experiments;

namespace Stamen.Tests.Adapters;

public sealed class AdapterPredictorTests
{
    private static readonly Lazy<IReadOnlyList<AdapterDatasetRow>> Data = new(() => AdapterDataset.Generate(AdapterFixtures.Twin(), 400, seed: 5));

    [Fact]
    public void Dataset_SameSeed_SameRowsAndFeaturesMatchTheCell()
    {
        var a = AdapterDataset.Generate(AdapterFixtures.Twin(60), 12, seed: 3);
        var b = AdapterDataset.Generate(AdapterFixtures.Twin(60), 12, seed: 3);

        Assert.Equal(a, b);
        Assert.All(a, r =>
        {
            Assert.InRange(r.Features.Slots, 1, r.Features.ServedAdapters);
            Assert.Equal(r.Features.Slots, r.Outcome.Slots);
            Assert.Equal(r.Features.MaxRank, r.Outcome.MaxRank);
            Assert.True(r.Outcome.Starts);
        });
    }

    [Fact]
    public void Train_OnTwinData_ForestBeatsTheDepth5TreeAndTheMeanOnHeldOutRows()
    {
        var rows = Data.Value;
        var report = PredictorTraining.Run([.. rows.Select(r => r.Features.ToArray())], [.. rows.Select(r => r.Outcome.ThroughputTokensPerSec)],
            [.. rows.Select(r => r.Outcome.Starved ? 1.0 : 0.0)], trees: 100, seed: 2);

        var forest = report.Get("forest").Quality;
        var tree = report.Get($"tree (depth {PredictorTraining.TreeDepth})").Quality;
        var mean = report.Get("mean / majority").Quality;
        Assert.True(forest.RSquared > tree.RSquared, $"forest R^2 {forest.RSquared} vs tree {tree.RSquared}");
        Assert.True(tree.RSquared > mean.RSquared + 0.5);
        Assert.True(forest.SmapePercent < tree.SmapePercent && tree.SmapePercent < mean.SmapePercent);
        Assert.True(forest.Accuracy > mean.Accuracy, $"forest accuracy {forest.Accuracy} vs majority {mean.Accuracy}");
        Assert.True(forest.F1 > 0.7);
    }

    [Fact]
    public void PredictorFile_RoundTripPredictsAsBeforeAndAForeignFileIsAnInputError()
    {
        var rows = Data.Value;
        var report = PredictorTraining.Run([.. rows.Select(r => r.Features.ToArray())], [.. rows.Select(r => r.Outcome.ThroughputTokensPerSec)],
            [.. rows.Select(r => r.Outcome.Starved ? 1.0 : 0.0)], trees: 20, seed: 2);
        var forest = report.Get("forest");
        var twin = AdapterFixtures.Twin();
        using var folder = new Stamen.Tests.Scenarios.TempFolder();
        var path = folder.FilePath("p.json");

        AdapterPredictorFile.Save(path, "forest", forest.Throughput!, forest.Starvation!);
        var loaded = AdapterPredictorFile.Resolve(path, twin);
        var direct = new DistilledGpuLoadPredictor("forest", forest.Throughput!, forest.Starvation!, twin.PromptTokens.Mean, twin.OutputTokens.Mean);

        var adapters = AdapterFixtures.Zipf(50, 6);
        foreach (var slots in (int[])[8, 16, 32])
            Assert.Equal(direct.Predict(adapters, slots), loaded.Predict(adapters, slots));
        File.WriteAllText(path, "{\"format\": \"something-else\"}");
        var e = Assert.Throws<StamenInputException>(() => { AdapterPredictorFile.Resolve(path, twin); });
        Assert.Equal("format", e.Field);
        Assert.IsType<TwinGpuLoadPredictor>(AdapterPredictorFile.Resolve("twin", twin));
    }

    [Fact]
    public void Features_OfAGpuLoad_AreThePublishedStatistics()
    {
        var adapters = new[] { new AdapterDemand("a", 8, 1), new AdapterDemand("b", 16, 3), new AdapterDemand("c", 32, 2) };

        var f = GpuLoadFeatures.Of(adapters, 2, 500, 250);

        Assert.Equal(6, f.SumRatesPerSec);
        Assert.Equal(Math.Sqrt(2.0 / 3), f.StdRatesPerSec, 12);
        Assert.Equal(32, f.MaxRank);
        Assert.Equal(56.0 / 3, f.MeanRank, 12);
        Assert.Equal(Math.Sqrt(((8 - 56.0 / 3) * (8 - 56.0 / 3) + (16 - 56.0 / 3) * (16 - 56.0 / 3) + (32 - 56.0 / 3) * (32 - 56.0 / 3)) / 3), f.StdRank, 12);
        Assert.Equal((2, 3), ((int)f.Slots, (int)f.ServedAdapters));
        Assert.Equal(6 * 750, f.OfferedTokensPerSec);
        Assert.Equal(GpuLoadFeatures.Names.Count, f.ToArray().Length);
    }
}
