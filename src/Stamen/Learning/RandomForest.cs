using Stamen.Simulation;

namespace Stamen.Learning;

/// <summary>
/// Bagged CART trees, each grown on a bootstrap sample and trying a random subset of features per
/// split; the prediction is the trees' mean (a value, or a probability of class 1). Averaging many
/// deep, decorrelated trees cuts the variance a single deep tree has, which is why the published
/// throughput model (256 trees, square-root rule) beats one tree on held-out rows.
/// </summary>
public sealed class RandomForest : TabularModel
{
    private readonly DecisionTree[] _trees;

    internal RandomForest(TreeTask task, string[] featureNames, DecisionTree[] trees)
        : base(task, featureNames)
    {
        _trees = trees;
    }

    /// <summary>
    /// Grows <see cref="ForestOptions.Trees"/> trees in parallel. Tree i draws its bootstrap sample and
    /// its feature subsets from its own stream, <see cref="SeedStreams.Derive"/>(Seed, i), and lands in
    /// slot i, so the forest is the same whatever the thread count or scheduling.
    /// </summary>
    /// <param name="data">Training rows; for classification every target must be 0 or 1.</param>
    /// <param name="task">Regression or classification.</param>
    /// <param name="options">Tree count, features per split, bootstrap, limits, seed.</param>
    public static RandomForest Fit(TabularData data, TreeTask task, ForestOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(data.FeatureCount);
        TreeBuilder.CheckTargets(data, task);

        var columns = data.Columns();
        var targets = data.TargetArray;
        var treeOptions = options.TreeOptions(data.FeatureCount);
        var names = data.FeatureNameArray;
        var n = data.Count;
        var trees = new DecisionTree[options.Trees];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? -1 };
        Parallel.For(0, options.Trees, parallel, t =>
        {
            var rng = new Random(SeedStreams.Derive(options.Seed, t));
            var sample = new int[n];
            for (var i = 0; i < n; i++) sample[i] = options.Bootstrap ? rng.Next(n) : i;
            trees[t] = new TreeBuilder(columns, targets, task, treeOptions).Build(sample, rng, names);
        });
        return new RandomForest(task, names, trees);
    }

    /// <summary>Grows a forest on bare arrays; features are named x0, x1, ...</summary>
    public static RandomForest Fit(IReadOnlyList<double[]> features, IReadOnlyList<double> targets, TreeTask task, ForestOptions options)
    {
        ArgumentNullException.ThrowIfNull(features);
        var width = features.Count > 0 && features[0] is { } first ? first.Length : 0;
        return Fit(new TabularData(TabularData.DefaultNames(width), features, targets), task, options);
    }

    /// <summary>The trees, in seed-stream order.</summary>
    public IReadOnlyList<DecisionTree> Trees => _trees;

    /// <inheritdoc />
    public override double Predict(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        var sum = 0.0;
        var t = 0;
        // Four trees walked in step: each step of a walk waits on a cache miss (the forest does not
        // fit in cache), and four independent walks let the processor wait on four misses at once.
        // Values are still added in tree order, so the sum is the same as one tree at a time.
        for (; t + 4 <= _trees.Length; t += 4)
        {
            var a = _trees[t].Nodes;
            var b = _trees[t + 1].Nodes;
            var c = _trees[t + 2].Nodes;
            var d = _trees[t + 3].Nodes;
            TreeNode na = a[0], nb = b[0], nc = c[0], nd = d[0];
            // Features are -1 only at leaves, so the bitwise and is negative once all four are at leaves.
            while ((na.Feature & nb.Feature & nc.Feature & nd.Feature) >= 0)
            {
                if (na.Feature >= 0) na = na.Next(a, row);
                if (nb.Feature >= 0) nb = nb.Next(b, row);
                if (nc.Feature >= 0) nc = nc.Next(c, row);
                if (nd.Feature >= 0) nd = nd.Next(d, row);
            }
            sum += na.ThresholdOrValue;
            sum += nb.ThresholdOrValue;
            sum += nc.ThresholdOrValue;
            sum += nd.ThresholdOrValue;
        }
        for (; t < _trees.Length; t++) sum += _trees[t].Evaluate(row);
        return sum / _trees.Length;
    }
}
