using Stamen.Learning;

namespace Stamen.Tests.Learning;

public class ModelMetricsTests
{
    [Fact]
    public void RSquared_HandComputed()
    {
        // mean 2.5; SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5; SS_res = 0.25 + 0 + 0.25 + 1 = 1.5.
        Assert.Equal(1 - 1.5 / 5, ModelMetrics.RSquared([1, 2, 3, 4], [1.5, 2, 2.5, 5]), 12);
    }

    [Fact]
    public void RSquared_MeanPredictorIsZero_PerfectIsOne()
    {
        Assert.Equal(0, ModelMetrics.RSquared([1, 2, 3, 4], [2.5, 2.5, 2.5, 2.5]), 12);
        Assert.Equal(1, ModelMetrics.RSquared([1, 2, 3, 4], [1, 2, 3, 4]));
    }

    [Fact]
    public void RSquared_ConstantActual_OneIfExactElseZero()
    {
        Assert.Equal(1, ModelMetrics.RSquared([3, 3], [3, 3]));
        Assert.Equal(0, ModelMetrics.RSquared([3, 3], [3, 4]));
    }

    [Fact]
    public void SmapePercent_HandComputed_ZeroOverZeroCountsAsZero()
    {
        // Rows: 2·|100 − 110| / 210 = 0.0952381; 2·|0 − 0| / 0 counted 0; 2·|−1 − 1| / 2 = 2; 2·|4 − 0| / 4 = 2.
        var expected = 100 * (20.0 / 210 + 0 + 2 + 2) / 4;

        Assert.Equal(expected, ModelMetrics.SmapePercent([100, 0, -1, 4], [110, 0, 1, 0]), 10);
    }

    [Fact]
    public void MeanAbsoluteError_HandComputed()
    {
        Assert.Equal((1 + 0 + 2.5) / 3, ModelMetrics.MeanAbsoluteError([1, 2, 3], [2, 2, 0.5]), 12);
    }

    [Fact]
    public void AccuracyAndF1_HandComputed()
    {
        // Probabilities at 0.5 count as class 1. TP = 2 (rows 0, 1), FN = 1 (row 2), FP = 1 (row 3), TN = 2.
        double[] actual = [1, 1, 1, 0, 0, 0];
        double[] predicted = [0.9, 0.5, 0.49, 0.7, 0.1, 0];

        Assert.Equal(4.0 / 6, ModelMetrics.Accuracy(actual, predicted), 12);
        Assert.Equal(2.0 * 2 / (2 * 2 + 1 + 1), ModelMetrics.F1(actual, predicted), 12);
    }

    [Fact]
    public void F1_NoPositivesAnywhere_IsOne_FalseAlarmsOnly_IsZero()
    {
        Assert.Equal(1, ModelMetrics.F1([0, 0, 0], [0, 0.2, 0.1]));
        Assert.Equal(0, ModelMetrics.F1([0, 0, 0], [0, 0.8, 0.1]));
    }

    [Fact]
    public void Metrics_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => ModelMetrics.RSquared([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => ModelMetrics.SmapePercent([], []));
        Assert.Throws<ArgumentException>(() => ModelMetrics.Accuracy([2], [1]));
    }
}
