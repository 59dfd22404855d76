using Stamen.Learning;

namespace Stamen.Tests.Learning;

public class DecisionTreeTests
{
    private static readonly string[] TwoFeatures = ["a", "b"];

    [Fact]
    public void Fit_UnlimitedDepth_FitsDistinctTrainingPointsExactly()
    {
        var data = SyntheticData.Regression(300, seed: 1);

        var tree = DecisionTree.Fit(data, TreeTask.Regression, new TreeOptions(), seed: 0);

        for (var i = 0; i < data.Count; i++) Assert.Equal(data.Targets[i], tree.Predict(data.Row(i)));
        Assert.Equal(data.Count, tree.LeafCount);
    }

    [Fact]
    public void Fit_DepthOne_PicksTheSplitWithLeastSquaredErrorHalfwayBetweenValues()
    {
        // On a: cut 3.5 leaves SSE 0 + 2/3; cut 4.5 leaves 12 + 0.5. On b the best cut is worse.
        double[][] x = [[1, 2], [2, 1], [3, 6], [4, 3], [5, 5], [6, 4]];
        double[] y = [1, 1, 1, 5, 5, 6];
        var data = new TabularData(TwoFeatures, x, y);

        var tree = DecisionTree.Fit(data, TreeTask.Regression, new TreeOptions(MaxDepth: 1), seed: 0);

        Assert.Equal(3, tree.NodeCount);
        Assert.Equal(1, tree.Depth);
        Assert.Equal(0, tree.FeatureArray[0]);
        Assert.Equal(3.5, tree.ThresholdArray[0]);
        Assert.Equal(1.0, tree.Predict([3.5, 0]));
        Assert.Equal(16.0 / 3, tree.Predict([3.6, 0]), 12);
    }

    [Fact]
    public void Fit_DepthZero_IsTheMeanPredictor()
    {
        var data = new TabularData(TwoFeatures, [[1, 2], [2, 1], [3, 0]], [1, 2, 6]);

        var tree = DecisionTree.Fit(data, TreeTask.Regression, new TreeOptions(MaxDepth: 0), seed: 0);

        Assert.Equal(1, tree.NodeCount);
        Assert.Equal(3.0, tree.Predict([100, -100]));
    }

    [Fact]
    public void Fit_Classification_PicksTheGiniBestSplitWhereErrorRateTies()
    {
        // y over a = 1..7: 0 0 1 0 1 1 1. Cuts 2.5 and 4.5 both misclassify one row, but Gini prefers
        // 4.5 (weighted impurity 4·2·¼·¾ = 1.5) to 2.5 (5·2·⅕·⅘ = 1.6). b carries no signal.
        double[][] x = [[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0]];
        double[] y = [0, 0, 1, 0, 1, 1, 1];
        var data = new TabularData(TwoFeatures, x, y);

        var tree = DecisionTree.Fit(data, TreeTask.Classification, new TreeOptions(MaxDepth: 1), seed: 0);

        Assert.Equal(0, tree.FeatureArray[0]);
        Assert.Equal(4.5, tree.ThresholdArray[0]);
        Assert.Equal(0.25, tree.Predict([1, 0]));
        Assert.Equal(1.0, tree.Predict([7, 0]));
        Assert.False(tree.PredictClass([1, 0]));
        Assert.True(tree.PredictClass([7, 0]));
    }

    [Fact]
    public void Fit_ClassificationUnlimited_LeavesArePureProbabilities()
    {
        var data = SyntheticData.Classification(400, seed: 2);

        var tree = DecisionTree.Fit(data, TreeTask.Classification, new TreeOptions(), seed: 0);

        for (var n = 0; n < tree.NodeCount; n++)
        {
            if (tree.FeatureArray[n] < 0) Assert.True(tree.ValueArray[n] is 0.0 or 1.0, $"leaf {n} holds {tree.ValueArray[n]}");
        }
        for (var i = 0; i < data.Count; i++) Assert.Equal(data.Targets[i], tree.Predict(data.Row(i)));
    }

    [Fact]
    public void Fit_MinSamplesLeaf_NoLeafIsSmaller()
    {
        var data = SyntheticData.Regression(300, seed: 3);

        var tree = DecisionTree.Fit(data, TreeTask.Regression, new TreeOptions(MinSamplesLeaf: 10), seed: 0);

        var counts = new int[tree.NodeCount];
        for (var i = 0; i < data.Count; i++) counts[LeafOf(tree, data.Row(i))]++;
        for (var n = 0; n < tree.NodeCount; n++)
        {
            if (tree.FeatureArray[n] < 0) Assert.InRange(counts[n], 10, data.Count);
        }
    }

    [Fact]
    public void Fit_ConstantFeatures_MakesOneLeaf()
    {
        var data = new TabularData(TwoFeatures, [[1, 1], [1, 1], [1, 1]], [0, 1, 2]);

        var tree = DecisionTree.Fit(data, TreeTask.Regression, new TreeOptions(), seed: 0);

        Assert.Equal(1, tree.NodeCount);
        Assert.Equal(1.0, tree.Predict([1, 1]));
    }

    [Fact]
    public void Fit_MaxFeaturesSameSeed_SameTree()
    {
        var data = SyntheticData.Regression(300, seed: 4);
        var options = new TreeOptions(MaxDepth: 6, MaxFeatures: 2);

        var a = DecisionTree.Fit(data, TreeTask.Regression, options, seed: 9);
        var b = DecisionTree.Fit(data, TreeTask.Regression, options, seed: 9);
        var c = DecisionTree.Fit(data, TreeTask.Regression, options, seed: 10);

        var rows = SyntheticData.RandomRows(500, seed: 5);
        Assert.Equal(rows.Select(r => a.Predict(r)), rows.Select(r => b.Predict(r)));
        Assert.NotEqual(rows.Select(r => a.Predict(r)), rows.Select(r => c.Predict(r)));
    }

    [Fact]
    public void Fit_BareArrays_NamesFeaturesX0Up()
    {
        var tree = DecisionTree.Fit([[1.0, 5], [2.0, 6]], [0.0, 1], TreeTask.Classification, new TreeOptions(), seed: 0);

        Assert.Equal(["x0", "x1"], tree.FeatureNames);
        Assert.Equal(1.0, tree.Predict([2, 6]));
    }

    [Theory]
    [InlineData(-1, 2, 1, null)]
    [InlineData(null, 1, 1, null)]
    [InlineData(null, 2, 0, null)]
    [InlineData(null, 2, 1, 3)]
    [InlineData(null, 2, 1, 0)]
    public void Fit_BadOptions_Throws(int? maxDepth, int minSplit, int minLeaf, int? maxFeatures)
    {
        var data = new TabularData(TwoFeatures, [[1, 2], [2, 1]], [0, 1]);

        Assert.Throws<ArgumentException>(() =>
            DecisionTree.Fit(data, TreeTask.Regression, new TreeOptions(maxDepth, minSplit, minLeaf, maxFeatures), seed: 0));
    }

    [Fact]
    public void Fit_ClassificationTargetNotZeroOrOne_Throws()
    {
        var data = new TabularData(TwoFeatures, [[1, 2], [2, 1]], [0, 0.5]);

        Assert.Throws<ArgumentException>(() => DecisionTree.Fit(data, TreeTask.Classification, new TreeOptions(), seed: 0));
    }

    [Fact]
    public void Predict_WrongRowLength_Throws()
    {
        var tree = DecisionTree.Fit(new TabularData(TwoFeatures, [[1, 2], [2, 1]], [0, 1]), TreeTask.Regression, new TreeOptions(), 0);

        Assert.Throws<ArgumentException>(() => tree.Predict([1.0]));
        Assert.Throws<InvalidOperationException>(() => tree.PredictClass([1.0, 2]));
    }

    [Fact]
    public void Predict_DataWithOtherColumns_Throws()
    {
        var tree = DecisionTree.Fit(new TabularData(TwoFeatures, [[1, 2], [2, 1]], [0, 1]), TreeTask.Regression, new TreeOptions(), 0);
        var swapped = new TabularData(["b", "a"], [[1, 2]], [0]);

        Assert.Throws<ArgumentException>(() => tree.Predict(swapped));
    }

    [Theory]
    [InlineData(1.0, 2.0)]
    [InlineData(1.0, 1.0000000000000002)]
    [InlineData(-5e-324, 5e-324)]
    [InlineData(1e308, 1.7e308)]
    public void Midpoint_SeparatesTheTwoValues(double low, double high)
    {
        var cut = TreeBuilder.Midpoint(low, high);

        Assert.True(low <= cut && cut < high, $"cut {cut}");
    }

    private static int LeafOf(DecisionTree tree, ReadOnlySpan<double> row)
    {
        var node = 0;
        while (tree.FeatureArray[node] >= 0)
            node = row[tree.FeatureArray[node]] <= tree.ThresholdArray[node] ? tree.LeftArray[node] : tree.RightArray[node];
        return node;
    }
}
