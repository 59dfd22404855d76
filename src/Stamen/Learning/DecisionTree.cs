namespace Stamen.Learning;

/// <summary>
/// A CART tree (binary splits of the form feature &lt;= threshold) stored as flat arrays indexed by
/// node, so prediction is a short loop over arrays with no allocation and no pointer chasing.
/// </summary>
/// <remarks>
/// <para>Node 0 is the root. An internal node has <c>Feature &gt;= 0</c>, goes left when
/// <c>row[Feature] &lt;= Threshold</c>, and has its two children side by side after it
/// (<c>Right = Left + 1</c>, <c>Left &gt; node</c>: links only move forward, which is what lets
/// <see cref="ModelFile"/> reject a file whose links could loop); a leaf has <c>Feature = -1</c> and
/// children -1. Every node keeps the mean target of its training rows.</para>
/// <para>Prediction reads a packed copy, 16 bytes a node (feature, left child, and the threshold or,
/// in a leaf, the value): one cache line per step instead of one per array, and the child is
/// <c>Left + (go right ? 1 : 0)</c>, with no branch to mispredict. A 256-tree forest of deep trees
/// does not fit in cache, so this is what keeps it well under the 0.3 ms per row target.</para>
/// </remarks>
public sealed class DecisionTree : TabularModel
{
    private readonly int[] _feature;
    private readonly double[] _threshold;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _value;
    private readonly TreeNode[] _nodes;

    internal DecisionTree(TreeTask task, string[] featureNames, int[] feature, double[] threshold, int[] left, int[] right, double[] value)
        : base(task, featureNames)
    {
        _feature = feature;
        _threshold = threshold;
        _left = left;
        _right = right;
        _value = value;
        _nodes = new TreeNode[feature.Length];
        for (var n = 0; n < _nodes.Length; n++)
            _nodes[n] = feature[n] < 0 ? new TreeNode(value[n], -1, -1) : new TreeNode(threshold[n], feature[n], left[n]);
    }

    /// <summary>
    /// Grows one tree on <paramref name="data"/>.
    /// </summary>
    /// <param name="data">Training rows; for classification every target must be 0 or 1.</param>
    /// <param name="task">Regression (squared error, leaf mean) or classification (Gini, leaf fraction of 1s).</param>
    /// <param name="options">Depth and size limits and features per split.</param>
    /// <param name="seed">Seed of the per-split feature draws (unused when all features are tried).</param>
    public static DecisionTree Fit(TabularData data, TreeTask task, TreeOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(data.FeatureCount);
        TreeBuilder.CheckTargets(data, task);
        var all = new int[data.Count];
        for (var i = 0; i < all.Length; i++) all[i] = i;
        return new TreeBuilder(data.Columns(), data.TargetArray, task, options)
            .Build(all, new Random(seed), data.FeatureNameArray);
    }

    /// <summary>Grows one tree on bare arrays; features are named x0, x1, ...</summary>
    public static DecisionTree Fit(IReadOnlyList<double[]> features, IReadOnlyList<double> targets, TreeTask task, TreeOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(features);
        var width = features.Count > 0 && features[0] is { } first ? first.Length : 0;
        return Fit(new TabularData(TabularData.DefaultNames(width), features, targets), task, options, seed);
    }

    /// <summary>Number of nodes, leaves included.</summary>
    public int NodeCount => _feature.Length;

    /// <summary>Number of leaves.</summary>
    public int LeafCount => _feature.Count(f => f < 0);

    /// <summary>Most splits on any root-to-leaf path.</summary>
    public int Depth
    {
        get
        {
            var depth = new int[NodeCount];
            var deepest = 0;
            for (var n = 0; n < NodeCount; n++)
            {
                if (_feature[n] < 0) { deepest = Math.Max(deepest, depth[n]); continue; }
                depth[_left[n]] = depth[n] + 1;
                depth[_right[n]] = depth[n] + 1;
            }
            return deepest;
        }
    }

    /// <inheritdoc />
    public override double Predict(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        return Evaluate(row);
    }

    /// <summary>Walks from the root to a leaf; the row's length is the caller's to check.</summary>
    internal double Evaluate(ReadOnlySpan<double> row)
    {
        var nodes = _nodes;
        var node = nodes[0];
        while (node.Feature >= 0) node = node.Next(nodes, row);
        return node.ThresholdOrValue;
    }

    /// <summary>The packed nodes prediction walks (a forest walks several trees' at once).</summary>
    internal TreeNode[] Nodes => _nodes;

    internal ReadOnlySpan<int> FeatureArray => _feature;
    internal ReadOnlySpan<double> ThresholdArray => _threshold;
    internal ReadOnlySpan<int> LeftArray => _left;
    internal ReadOnlySpan<int> RightArray => _right;
    internal ReadOnlySpan<double> ValueArray => _value;
}

/// <summary>A node as prediction reads it, 16 bytes: a leaf (Feature -1) keeps its value where a split keeps its threshold.</summary>
internal readonly record struct TreeNode(double ThresholdOrValue, int Feature, int Left)
{
    /// <summary>The child <paramref name="row"/> goes to: left when row[Feature] &lt;= threshold, else the one beside it.</summary>
    public TreeNode Next(TreeNode[] nodes, ReadOnlySpan<double> row) =>
        nodes[Left + (row[Feature] <= ThresholdOrValue ? 0 : 1)];
}
