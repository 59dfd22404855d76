namespace Stamen.Learning;

/// <summary>
/// Grows one CART tree over a multiset of row indices (a bootstrap sample may repeat rows).
/// At each node and for each candidate feature it sorts the node's (value, target) pairs once and
/// sweeps the cut points between consecutive distinct values with running sums: O(n log n) per
/// feature per node, ample for a few thousand rows, and exact (no histogram binning).
/// </summary>
/// <remarks>
/// Ties are broken in a fixed order (first feature tried, then lowest threshold), and rows are
/// partitioned stably, so the same inputs and seed always give the same tree.
/// </remarks>
internal sealed class TreeBuilder
{
    private readonly double[][] _columns;
    private readonly double[] _targets;
    private readonly TreeTask _task;
    private readonly TreeOptions _options;

    // Scratch buffers sized to the sample, reused by every node of the tree.
    private double[] _keys = [];
    private double[] _items = [];
    private int[] _scratch = [];

    public TreeBuilder(double[][] columns, double[] targets, TreeTask task, TreeOptions options)
    {
        _columns = columns;
        _targets = targets;
        _task = task;
        _options = options;
    }

    /// <summary>Classification targets must be exactly 0 or 1: the leaf value is then the probability of 1.</summary>
    public static void CheckTargets(TabularData data, TreeTask task)
    {
        if (task != TreeTask.Classification) return;
        var targets = data.TargetArray;
        for (var i = 0; i < targets.Length; i++)
        {
            if (targets[i] is not (0.0 or 1.0))
                throw new ArgumentException($"classification targets must be 0 or 1; row {i} has {targets[i]}", nameof(data));
        }
    }

    /// <summary>Grows the tree on <paramref name="sample"/> (reordered in place), drawing features from <paramref name="rng"/>.</summary>
    public DecisionTree Build(int[] sample, Random rng, string[] featureNames)
    {
        var n = sample.Length;
        _keys = new double[n];
        _items = new double[n];
        _scratch = new int[n];
        var p = _columns.Length;
        var order = new int[p];
        for (var f = 0; f < p; f++) order[f] = f;
        var tried = _options.MaxFeatures ?? p;

        var feature = new List<int>();
        var threshold = new List<double>();
        var left = new List<int>();
        var right = new List<int>();
        var value = new List<double>();
        int NewNode()
        {
            feature.Add(-1);
            threshold.Add(0);
            left.Add(-1);
            right.Add(-1);
            value.Add(0);
            return feature.Count - 1;
        }

        // Depth-first with an explicit stack: an unlimited tree on degenerate data can be as deep as
        // the sample is large, too deep for recursion on a thread-pool thread's stack.
        var stack = new Stack<(int Node, int Start, int End, int Depth)>();
        stack.Push((NewNode(), 0, n, 0));
        while (stack.Count > 0)
        {
            var (node, start, end, depth) = stack.Pop();
            var count = end - start;
            var sum = 0.0;
            var first = _targets[sample[start]];
            var pure = true;
            for (var i = start; i < end; i++)
            {
                var y = _targets[sample[i]];
                sum += y;
                pure &= y == first;
            }
            // A pure node's value is its target exactly, not a sum divided back (which can be off by an ulp).
            value[node] = pure ? first : sum / count;

            if (pure || depth >= (_options.MaxDepth ?? int.MaxValue) || count < _options.MinSamplesSplit
                || count < 2 * _options.MinSamplesLeaf)
                continue;

            if (!TryBestSplit(sample, start, end, order, tried, p, rng, out var bestFeature, out var bestThreshold))
                continue;

            var mid = Partition(sample, start, end, _columns[bestFeature], bestThreshold);
            var l = NewNode();
            var r = NewNode();
            feature[node] = bestFeature;
            threshold[node] = bestThreshold;
            left[node] = l;
            right[node] = r;
            stack.Push((r, mid, end, depth + 1));
            stack.Push((l, start, mid, depth + 1));
        }
        return new DecisionTree(_task, featureNames, [.. feature], [.. threshold], [.. left], [.. right], [.. value]);
    }

    /// <summary>
    /// Tries features in a fresh random order (or 0, 1, ... when all are tried): the first
    /// <paramref name="tried"/> always, and further ones only while none of those could split
    /// (all constant on this node), so a node is never left unsplit just because the draw was unlucky.
    /// </summary>
    private bool TryBestSplit(int[] sample, int start, int end, int[] order, int tried, int p, Random rng,
        out int bestFeature, out double bestThreshold)
    {
        bestFeature = -1;
        bestThreshold = 0;
        var bestScore = double.PositiveInfinity;
        var sampled = tried < p;
        for (var k = 0; k < p; k++)
        {
            if (k >= tried && bestFeature >= 0) break;
            if (sampled)
            {
                var j = k + rng.Next(p - k);
                (order[k], order[j]) = (order[j], order[k]);
            }
            var f = sampled ? order[k] : k;
            if (BestCut(sample, start, end, _columns[f], out var score, out var cut) && score < bestScore)
            {
                bestScore = score;
                bestFeature = f;
                bestThreshold = cut;
            }
        }
        return bestFeature >= 0;
    }

    /// <summary>
    /// The cut on one feature with the lowest weighted impurity that leaves at least
    /// MinSamplesLeaf rows each side; false if the feature is constant here or no cut qualifies.
    /// </summary>
    /// <remarks>
    /// Regression minimises SSE_left + SSE_right. With S the sum and n the count of a side,
    /// SSE = Σy² − S²/n and Σy² is the same for every cut, so it minimises −(S_l²/n_l + S_r²/n_r),
    /// which avoids subtracting two large sums. Classification minimises n_l·Gini_l + n_r·Gini_r,
    /// where for 0/1 targets n·Gini = 2·S·(n − S)/n.
    /// </remarks>
    private bool BestCut(int[] sample, int start, int end, double[] column, out double bestScore, out double bestCut)
    {
        var count = end - start;
        var keys = _keys;
        var items = _items;
        for (var i = 0; i < count; i++)
        {
            var row = sample[start + i];
            keys[i] = column[row];
            items[i] = _targets[row];
        }
        Array.Sort(keys, items, 0, count);

        bestScore = double.PositiveInfinity;
        bestCut = 0;
        if (keys[0] == keys[count - 1]) return false;

        var total = 0.0;
        for (var i = 0; i < count; i++) total += items[i];
        var minLeaf = _options.MinSamplesLeaf;
        var leftSum = 0.0;
        var found = false;
        var bestIndex = -1;
        for (var i = 0; i < count - 1; i++)
        {
            leftSum += items[i];
            if (keys[i] == keys[i + 1]) continue;
            var nLeft = i + 1;
            var nRight = count - nLeft;
            if (nLeft < minLeaf) continue;
            if (nRight < minLeaf) break;
            var rightSum = total - leftSum;
            var score = _task == TreeTask.Regression
                ? -(leftSum * leftSum / nLeft + rightSum * rightSum / nRight)
                : 2 * leftSum * (nLeft - leftSum) / nLeft + 2 * rightSum * (nRight - rightSum) / nRight;
            if (score < bestScore)
            {
                bestScore = score;
                bestIndex = i;
                found = true;
            }
        }
        if (found) bestCut = Midpoint(keys[bestIndex], keys[bestIndex + 1]);
        return found;
    }

    /// <summary>
    /// Halfway between two consecutive distinct values, as CART places thresholds; when the two are
    /// adjacent doubles the halfway point rounds onto the upper one, and the lower one is used instead
    /// so that <c>x &lt;= threshold</c> still separates them.
    /// </summary>
    internal static double Midpoint(double low, double high)
    {
        var mid = low / 2 + high / 2;
        return mid < high && mid >= low ? mid : low;
    }

    /// <summary>Stable partition: rows with value &lt;= threshold first. Returns the first right-hand position.</summary>
    private int Partition(int[] sample, int start, int end, double[] column, double threshold)
    {
        var write = start;
        var spill = 0;
        for (var i = start; i < end; i++)
        {
            var row = sample[i];
            if (column[row] <= threshold) sample[write++] = row;
            else _scratch[spill++] = row;
        }
        Array.Copy(_scratch, 0, sample, write, spill);
        return write;
    }
}
