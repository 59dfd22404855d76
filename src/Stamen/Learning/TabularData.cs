namespace Stamen.Learning;

/// <summary>
/// Named numeric features and one target per row, checked once here so that trees, forests and
/// metrics can trust their input (no NaN slipping into a split, no ragged rows).
/// </summary>
/// <remarks>
/// Stored row-major and copied on construction, so later changes to the caller's arrays cannot
/// change a data set a model was trained or scored on.
/// </remarks>
public sealed class TabularData
{
    private readonly double[] _values;
    private readonly double[] _targets;
    private readonly string[] _featureNames;

    /// <summary>Checks and copies the rows.</summary>
    /// <param name="featureNames">One distinct, non-blank name per column; saved with a model so a file says what it expects.</param>
    /// <param name="rows">One array per row, each as long as <paramref name="featureNames"/>, every value finite.</param>
    /// <param name="targets">One finite target per row.</param>
    /// <exception cref="ArgumentException">Lengths differ, a value is not finite, a name is blank or repeated, or there are no rows.</exception>
    public TabularData(IReadOnlyList<string> featureNames, IReadOnlyList<double[]> rows, IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(targets);
        _featureNames = CheckNames(featureNames);
        if (rows.Count == 0) throw new ArgumentException("a data set needs at least one row", nameof(rows));
        if (rows.Count != targets.Count)
            throw new ArgumentException($"{rows.Count} rows but {targets.Count} targets", nameof(targets));

        var p = _featureNames.Length;
        _values = new double[rows.Count * p];
        _targets = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"row {i} is null", nameof(rows));
            if (row.Length != p)
                throw new ArgumentException($"row {i} has {row.Length} values but there are {p} features", nameof(rows));
            for (var f = 0; f < p; f++)
            {
                if (!double.IsFinite(row[f]))
                    throw new ArgumentException($"row {i}, feature '{_featureNames[f]}' is {row[f]}; values must be finite", nameof(rows));
                _values[i * p + f] = row[f];
            }
            if (!double.IsFinite(targets[i]))
                throw new ArgumentException($"target of row {i} is {targets[i]}; targets must be finite", nameof(targets));
            _targets[i] = targets[i];
        }
    }

    private TabularData(string[] featureNames, double[] values, double[] targets)
    {
        _featureNames = featureNames;
        _values = values;
        _targets = targets;
    }

    /// <summary>Column names, in column order.</summary>
    public IReadOnlyList<string> FeatureNames => _featureNames;

    /// <summary>Number of columns.</summary>
    public int FeatureCount => _featureNames.Length;

    /// <summary>Number of rows.</summary>
    public int Count => _targets.Length;

    /// <summary>Targets, one per row.</summary>
    public IReadOnlyList<double> Targets => _targets;

    /// <summary>The features of row <paramref name="index"/>, without copying.</summary>
    public ReadOnlySpan<double> Row(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _values.AsSpan(index * FeatureCount, FeatureCount);
    }

    /// <summary>
    /// A seeded random split into training and held-out rows, so a model's score is measured on rows
    /// it never saw and the same seed always holds out the same rows.
    /// </summary>
    /// <param name="testFraction">Share of rows held out, in (0, 1); rounded to whole rows, at least one on each side.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <returns>Both parts, each keeping the rows' original order.</returns>
    public TrainTestSplit Split(double testFraction, int seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "the test fraction must lie strictly between 0 and 1");
        if (Count < 2) throw new ArgumentException("splitting needs at least two rows");

        var order = new int[Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var rng = new Random(seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var testCount = Math.Clamp((int)Math.Round(Count * testFraction, MidpointRounding.AwayFromZero), 1, Count - 1);
        var test = order[..testCount];
        var train = order[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return new TrainTestSplit(Subset(train), Subset(test));
    }

    /// <summary>The rows at <paramref name="indices"/> (repeats allowed), in that order.</summary>
    public TabularData Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0) throw new ArgumentException("a subset needs at least one row", nameof(indices));
        var p = FeatureCount;
        var values = new double[indices.Count * p];
        var targets = new double[indices.Count];
        for (var k = 0; k < indices.Count; k++)
        {
            var i = indices[k];
            ArgumentOutOfRangeException.ThrowIfNegative(i, nameof(indices));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, Count, nameof(indices));
            Array.Copy(_values, i * p, values, k * p, p);
            targets[k] = _targets[i];
        }
        return new TabularData(_featureNames, values, targets);
    }

    /// <summary>Column-major copy: a split scans one feature over a node's rows, so columns keep that scan in cache.</summary>
    internal double[][] Columns()
    {
        var p = FeatureCount;
        var columns = new double[p][];
        for (var f = 0; f < p; f++)
        {
            var column = new double[Count];
            for (var i = 0; i < column.Length; i++) column[i] = _values[i * p + f];
            columns[f] = column;
        }
        return columns;
    }

    internal double[] TargetArray => _targets;

    internal string[] FeatureNameArray => _featureNames;

    /// <summary>Names x0, x1, ... for callers that bring bare arrays.</summary>
    internal static string[] DefaultNames(int count) =>
        Enumerable.Range(0, count).Select(i => $"x{i}").ToArray();

    internal static string[] CheckNames(IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw new ArgumentException("a data set needs at least one feature", nameof(names));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var copy = new string[names.Count];
        for (var f = 0; f < names.Count; f++)
        {
            var name = names[f];
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"feature {f} has a blank name", nameof(names));
            if (!seen.Add(name)) throw new ArgumentException($"feature name '{name}' appears twice", nameof(names));
            copy[f] = name;
        }
        return copy;
    }
}

/// <summary>Training rows and held-out rows of one <see cref="TabularData.Split"/>.</summary>
public sealed record TrainTestSplit(TabularData Train, TabularData Test);
