using FsCheck;
using FsCheck.Fluent;
using Stamen.Learning;

namespace Stamen.Tests.Learning;

public sealed class TreeInvariantTests
{
    /// <summary>
    /// Small random data sets on coarse grids (so repeated values and repeated rows are common),
    /// with random limits: the structure a loaded file is checked for, the limits, and the
    /// predictions' range always hold, and a tree without limits predicts each distinct row's mean target.
    /// </summary>
    [Fact]
    public void Fit_RandomSmallData_StructureLimitsAndRangeHold()
    {
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var rng = new Random(seed);
            var features = rng.Next(1, 5);
            var task = rng.Next(2) == 0 ? TreeTask.Regression : TreeTask.Classification;
            var rows = Enumerable.Range(0, rng.Next(1, 40)).Select(_ =>
                Enumerable.Range(0, features).Select(_ => (double)rng.Next(4)).ToArray()).ToArray();
            var targets = rows.Select(_ => task == TreeTask.Regression ? rng.Next(-5, 6) * 0.1 : rng.Next(2)).ToArray();
            var data = new TabularData(TabularData.DefaultNames(features), rows, targets);
            var options = new TreeOptions(
                MaxDepth: rng.Next(3) == 0 ? null : rng.Next(0, 5),
                MinSamplesSplit: rng.Next(2, 6),
                MinSamplesLeaf: rng.Next(1, 4),
                MaxFeatures: rng.Next(2) == 0 ? null : rng.Next(1, features + 1));

            var tree = DecisionTree.Fit(data, task, options, seed);

            var leafRows = new int[tree.NodeCount];
            foreach (var row in rows) leafRows[Leaf(tree, row)]++;
            for (var n = 0; n < tree.NodeCount; n++)
            {
                if (tree.FeatureArray[n] >= 0)
                {
                    Assert.True(tree.LeftArray[n] > n && tree.RightArray[n] > n);
                    Assert.True(rows.Length >= options.MinSamplesSplit);
                }
                else if (n > 0)
                {
                    Assert.InRange(leafRows[n], options.MinSamplesLeaf, rows.Length);
                }
            }
            Assert.InRange(tree.Depth, 0, options.MaxDepth ?? int.MaxValue);
            foreach (var row in SyntheticData.RandomRows(20, seed).Select(r => r[..features]))
                Assert.InRange(tree.Predict(row), targets.Min(), targets.Max());
            Assert.Equal(ModelFile.ToJson(tree), ModelFile.ToJson(ModelFile.FromJson(ModelFile.ToJson(tree), "round trip")));

            var full = DecisionTree.Fit(data, task, new TreeOptions(), seed);
            foreach (var group in Enumerable.Range(0, rows.Length).GroupBy(i => string.Join(",", rows[i])))
                Assert.Equal(group.Average(i => targets[i]), full.Predict(rows[group.First()]), 9);
        }).QuickCheckThrowOnFailure();
    }

    private static int Leaf(DecisionTree tree, double[] row)
    {
        var node = 0;
        while (tree.FeatureArray[node] >= 0)
            node = row[tree.FeatureArray[node]] <= tree.ThresholdArray[node] ? tree.LeftArray[node] : tree.RightArray[node];
        return node;
    }
}
