namespace Stamen.Learning;

/// <summary>
/// Scores of predictions against actual targets, as the throughput and starvation models are
/// reported. Each takes two equally long, non-empty lists and throws <see cref="ArgumentException"/> otherwise.
/// </summary>
public static class ModelMetrics
{
    /// <summary>
    /// Coefficient of determination, 1 − SS_res / SS_tot: 1 is perfect, 0 is no better than
    /// predicting the mean, negative is worse. When every actual value is the same, SS_tot is 0 and
    /// R² is undefined; this returns 1 if the predictions are exact and 0 otherwise, so a score is always finite.
    /// </summary>
    public static double RSquared(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        Check(actual, predicted);
        var mean = actual.Average();
        double residual = 0, total = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        if (total == 0) return residual == 0 ? 1 : 0;
        return 1 - residual / total;
    }

    /// <summary>
    /// Symmetric mean absolute percentage error in percent (0 to 200): the mean of
    /// 2|y − p| / (|y| + |p|) × 100, with a row where both are 0 counting as 0 (no error).
    /// Scale-free, so throughput errors at low and high load weigh alike.
    /// </summary>
    public static double SmapePercent(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        Check(actual, predicted);
        var sum = 0.0;
        for (var i = 0; i < actual.Count; i++)
        {
            var denominator = Math.Abs(actual[i]) + Math.Abs(predicted[i]);
            if (denominator > 0) sum += 2 * Math.Abs(actual[i] - predicted[i]) / denominator;
        }
        return 100 * sum / actual.Count;
    }

    /// <summary>Mean of |y − p|, in the target's unit.</summary>
    public static double MeanAbsoluteError(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        Check(actual, predicted);
        var sum = 0.0;
        for (var i = 0; i < actual.Count; i++) sum += Math.Abs(actual[i] - predicted[i]);
        return sum / actual.Count;
    }

    /// <summary>
    /// Share of rows whose predicted class equals the actual one. Actual values are 0/1 (anything
    /// else throws); predictions are probabilities or 0/1 labels, class 1 when at least 0.5.
    /// </summary>
    public static double Accuracy(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var (tp, fp, fn, tn) = Confusion(actual, predicted);
        return (double)(tp + tn) / (tp + fp + fn + tn);
    }

    /// <summary>
    /// F1 score of class 1 (the positive class, e.g. "starved"): 2·TP / (2·TP + FP + FN), the harmonic
    /// mean of precision and recall. Inputs as in <see cref="Accuracy"/>. When there are no actual and no
    /// predicted positives (TP = FP = FN = 0) the classifier made no error on the positive class, and
    /// F1 is defined as 1; with no actual positives but some predicted, it is 0.
    /// </summary>
    public static double F1(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var (tp, fp, fn, _) = Confusion(actual, predicted);
        var denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 1 : 2.0 * tp / denominator;
    }

    private static (int Tp, int Fp, int Fn, int Tn) Confusion(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        Check(actual, predicted);
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var positive = actual[i] switch
            {
                1.0 => true,
                0.0 => false,
                _ => throw new ArgumentException($"actual class of row {i} is {actual[i]}; classes must be 0 or 1", nameof(actual)),
            };
            var predictedPositive = predicted[i] >= 0.5;
            if (positive && predictedPositive) tp++;
            else if (positive) fn++;
            else if (predictedPositive) fp++;
            else tn++;
        }
        return (tp, fp, fn, tn);
    }

    private static void Check(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count == 0) throw new ArgumentException("metrics need at least one row", nameof(actual));
        if (actual.Count != predicted.Count)
            throw new ArgumentException($"{actual.Count} actual values but {predicted.Count} predictions", nameof(predicted));
    }
}
