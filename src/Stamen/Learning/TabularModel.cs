namespace Stamen.Learning;

/// <summary>
/// A trained tree or forest: what it predicts and which columns it expects, so that
/// <see cref="ModelFile"/> can save either kind in one format and callers can score either alike.
/// </summary>
public abstract class TabularModel
{
    private readonly string[] _featureNames;

    private protected TabularModel(TreeTask task, string[] featureNames)
    {
        Task = task;
        _featureNames = featureNames;
    }

    /// <summary>Regression (a value) or classification (a probability of class 1).</summary>
    public TreeTask Task { get; }

    /// <summary>Columns the model was trained on, in the order <see cref="Predict(ReadOnlySpan{double})"/> expects.</summary>
    public IReadOnlyList<string> FeatureNames => _featureNames;

    /// <summary>Number of columns a row must have.</summary>
    public int FeatureCount => _featureNames.Length;

    /// <summary>
    /// The prediction for one row: a value (regression) or the probability of class 1 (classification).
    /// Allocates nothing. A NaN feature goes to the right child at every split it meets.
    /// </summary>
    /// <exception cref="ArgumentException">The row's length is not <see cref="FeatureCount"/>.</exception>
    public abstract double Predict(ReadOnlySpan<double> row);

    /// <summary>Class 1 when the predicted probability is at least 0.5; classification models only.</summary>
    public bool PredictClass(ReadOnlySpan<double> row)
    {
        if (Task != TreeTask.Classification)
            throw new InvalidOperationException("PredictClass needs a classification model; this one is a regression model");
        return Predict(row) >= 0.5;
    }

    /// <summary>Predictions for every row of <paramref name="data"/>, whose columns must carry this model's names in its order.</summary>
    /// <exception cref="ArgumentException">The columns differ from <see cref="FeatureNames"/> (a reordered column would silently give wrong predictions).</exception>
    public double[] Predict(TabularData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.FeatureNames.SequenceEqual(_featureNames, StringComparer.Ordinal))
            throw new ArgumentException(
                $"the data's columns [{string.Join(", ", data.FeatureNames)}] differ from the model's [{string.Join(", ", _featureNames)}]",
                nameof(data));
        var predictions = new double[data.Count];
        for (var i = 0; i < predictions.Length; i++) predictions[i] = Predict(data.Row(i));
        return predictions;
    }

    private protected void CheckRow(ReadOnlySpan<double> row)
    {
        if (row.Length != _featureNames.Length)
            throw new ArgumentException($"the row has {row.Length} values but the model has {_featureNames.Length} features", nameof(row));
    }
}
