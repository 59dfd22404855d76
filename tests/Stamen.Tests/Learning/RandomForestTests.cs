using Stamen.Learning;

namespace Stamen.Tests.Learning;

public class RandomForestTests
{
    [Fact]
    public void Regression_HeldOut_ForestBeatsDepthFiveTreeBeatsMean()
    {
        var split = SyntheticData.Regression(1500, seed: 11).Split(0.3, seed: 1);
        var actual = split.Test.Targets;

        var forest = RandomForest.Fit(split.Train, TreeTask.Regression, new ForestOptions(Trees: 50, Seed: 1)).Predict(split.Test);
        var tree = DecisionTree.Fit(split.Train, TreeTask.Regression, new TreeOptions(MaxDepth: 5), 0).Predict(split.Test);
        var mean = DecisionTree.Fit(split.Train, TreeTask.Regression, new TreeOptions(MaxDepth: 0), 0).Predict(split.Test);

        var forestR2 = ModelMetrics.RSquared(actual, forest);
        var treeR2 = ModelMetrics.RSquared(actual, tree);
        Assert.True(forestR2 > treeR2, $"forest R² {forestR2:F3}, tree R² {treeR2:F3}");
        Assert.True(treeR2 > 0.5, $"tree R² {treeR2:F3}");
        Assert.InRange(ModelMetrics.RSquared(actual, mean), -0.05, 0.01);
        Assert.True(ModelMetrics.SmapePercent(actual, forest) < ModelMetrics.SmapePercent(actual, tree));
        Assert.True(ModelMetrics.MeanAbsoluteError(actual, forest) < ModelMetrics.MeanAbsoluteError(actual, tree));
    }

    [Fact]
    public void Classification_HeldOut_ForestAtLeastTreeBeyondMajority()
    {
        var split = SyntheticData.Classification(1500, seed: 12).Split(0.3, seed: 2);
        var actual = split.Test.Targets;

        var forest = RandomForest.Fit(split.Train, TreeTask.Classification, new ForestOptions(Trees: 50, Seed: 2)).Predict(split.Test);
        var tree = DecisionTree.Fit(split.Train, TreeTask.Classification, new TreeOptions(MaxDepth: 5), 0).Predict(split.Test);

        var positives = actual.Count(y => y == 1);
        var majority = (double)Math.Max(positives, actual.Count - positives) / actual.Count;
        var forestAccuracy = ModelMetrics.Accuracy(actual, forest);
        var treeAccuracy = ModelMetrics.Accuracy(actual, tree);
        Assert.True(forestAccuracy >= treeAccuracy, $"forest {forestAccuracy:F3}, tree {treeAccuracy:F3}");
        Assert.True(treeAccuracy > majority + 0.1, $"tree {treeAccuracy:F3}, majority {majority:F3}");
        Assert.All(forest, p => Assert.InRange(p, 0, 1));
    }

    [Fact]
    public void Fit_SameSeed_IdenticalPredictions_OtherSeed_Different()
    {
        var data = SyntheticData.Regression(500, seed: 13);
        var rows = SyntheticData.RandomRows(300, seed: 3);

        var a = RandomForest.Fit(data, TreeTask.Regression, new ForestOptions(Trees: 20, Seed: 5));
        var b = RandomForest.Fit(data, TreeTask.Regression, new ForestOptions(Trees: 20, Seed: 5));
        var c = RandomForest.Fit(data, TreeTask.Regression, new ForestOptions(Trees: 20, Seed: 6));

        Assert.Equal(rows.Select(r => a.Predict(r)), rows.Select(r => b.Predict(r)));
        Assert.NotEqual(rows.Select(r => a.Predict(r)), rows.Select(r => c.Predict(r)));
    }

    [Theory]
    [InlineData(TreeTask.Regression)]
    [InlineData(TreeTask.Classification)]
    public void Fit_OneThreadOrMany_IdenticalForest(TreeTask task)
    {
        var data = task == TreeTask.Regression ? SyntheticData.Regression(500, seed: 14) : SyntheticData.Classification(500, seed: 14);
        var rows = SyntheticData.RandomRows(300, seed: 4);

        var serial = RandomForest.Fit(data, task, new ForestOptions(Trees: 24, Seed: 7, MaxDegreeOfParallelism: 1));
        var parallel = RandomForest.Fit(data, task, new ForestOptions(Trees: 24, Seed: 7, MaxDegreeOfParallelism: 8));

        Assert.Equal(ModelFile.ToJson(serial), ModelFile.ToJson(parallel));
        Assert.Equal(rows.Select(r => serial.Predict(r)), rows.Select(r => parallel.Predict(r)));
    }

    [Fact]
    public void Fit_Defaults_SqrtRuleAndDeepTrees()
    {
        Assert.Equal(2, ForestOptions.SqrtFeatures(7));
        Assert.Equal(1, ForestOptions.SqrtFeatures(1));
        Assert.Equal(3, ForestOptions.SqrtFeatures(9));
        var options = new ForestOptions();
        Assert.Equal(256, options.Trees);
        Assert.True(options.Bootstrap);
        Assert.Null(options.MaxDepth);
    }

    [Fact]
    public void Fit_NoBootstrapAllFeatures_EveryTreeIsTheSingleTree()
    {
        var data = SyntheticData.Regression(200, seed: 15);
        var rows = SyntheticData.RandomRows(100, seed: 5);

        var forest = RandomForest.Fit(data, TreeTask.Regression, new ForestOptions(Trees: 3, MaxFeatures: 7, Bootstrap: false, MaxDepth: 4));
        var tree = DecisionTree.Fit(data, TreeTask.Regression, new TreeOptions(MaxDepth: 4), seed: 0);

        foreach (var member in forest.Trees)
            Assert.Equal(ModelFile.ToJson(tree), ModelFile.ToJson(member));
        foreach (var row in rows) Assert.Equal(tree.Predict(row), forest.Predict(row), 12);
    }

    [Fact]
    public void Predict_IsTheTreesMeanSummedInTreeOrder()
    {
        // 15 trees: three groups of four walked in step, then three walked alone.
        var data = SyntheticData.Regression(300, seed: 18);
        var forest = RandomForest.Fit(data, TreeTask.Regression, new ForestOptions(Trees: 15, Seed: 8));

        var batch = forest.Predict(data);

        foreach (var row in SyntheticData.RandomRows(300, seed: 7))
        {
            var sum = 0.0;
            foreach (var tree in forest.Trees) sum += tree.Predict(row);
            Assert.Equal(sum / 15, forest.Predict(row));
        }
        for (var i = 0; i < data.Count; i++) Assert.Equal(forest.Predict(data.Row(i)), batch[i]);
    }

    [Fact]
    public void PredictClass_IsProbabilityAtLeastHalf()
    {
        var data = SyntheticData.Classification(300, seed: 16);
        var forest = RandomForest.Fit(data, TreeTask.Classification, new ForestOptions(Trees: 9, Seed: 3));

        foreach (var row in SyntheticData.RandomRows(200, seed: 6))
            Assert.Equal(forest.Predict(row) >= 0.5, forest.PredictClass(row));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(10, 0)]
    public void Fit_BadOptions_Throws(int trees, int? threads)
    {
        var data = SyntheticData.Regression(20, seed: 17);

        Assert.Throws<ArgumentException>(() =>
            RandomForest.Fit(data, TreeTask.Regression, new ForestOptions(Trees: trees, MaxDegreeOfParallelism: threads)));
    }
}
