using System.Diagnostics;
using Stamen.Adapters;
using Stamen.Learning;

namespace Stamen.Experiments;

/// <summary>Held-out quality and speed of one predictor kind (forest, tree or the mean/majority baseline).</summary>
/// <param name="PredictMicroseconds">Time for one prediction of both models (throughput and starvation), per row.</param>
public sealed record PredictorQuality(string Kind, double RSquared, double SmapePercent, double MeanAbsoluteErrorTokensPerSec,
    double Accuracy, double F1, double PredictMicroseconds, double TrainSeconds);

/// <summary>The trained models of one kind and their quality.</summary>
public sealed record TrainedPredictor(PredictorQuality Quality, TabularModel? Throughput, TabularModel? Starvation);

/// <summary>Everything `stamen adapters train` reports.</summary>
public sealed record PredictorTrainingReport(int TrainRows, int TestRows, double StarvedShare, IReadOnlyList<TrainedPredictor> Predictors)
{
    public TrainedPredictor Get(string kind) => Predictors.First(p => p.Quality.Kind == kind);
}

/// <summary>
/// Trains the distilled predictor on a twin dataset: a random forest (the published best: 256 trees, square-root
/// feature subsampling) and a depth-5 tree for both throughput and starvation, measured on a seeded held-out split
/// beside the mean (throughput) and majority-class (starvation) baselines.
/// </summary>
public static class PredictorTraining
{
    public const int TreeDepth = 5;

    public static PredictorTrainingReport Run(double[][] features, double[] throughput, double[] starved, int trees = 256, double testFraction = 0.2,
        int seed = 1, IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        // Throughput spans two orders of magnitude; the models learn its logarithm so errors are relative, as SMAPE measures them.
        var regression = new TabularData(GpuLoadFeatures.Names, features, [.. throughput.Select(ThroughputTarget.Encode)]).Split(testFraction, seed);
        var classification = new TabularData(GpuLoadFeatures.Names, features, starved).Split(testFraction, seed);
        progress?.Report(new ExperimentProgress(0, 3));
        var results = new List<TrainedPredictor>
        {
            Fit("forest", regression, classification,
                d => RandomForest.Fit(d, TreeTask.Regression, new ForestOptions(Trees: trees, Seed: seed)),
                d => RandomForest.Fit(d, TreeTask.Classification, new ForestOptions(Trees: trees, Seed: seed))),
        };
        progress?.Report(new ExperimentProgress(1, 3));
        results.Add(Fit($"tree (depth {TreeDepth})", regression, classification,
            d => DecisionTree.Fit(d, TreeTask.Regression, new TreeOptions(MaxDepth: TreeDepth), seed),
            d => DecisionTree.Fit(d, TreeTask.Classification, new TreeOptions(MaxDepth: TreeDepth), seed)));
        progress?.Report(new ExperimentProgress(2, 3));
        results.Add(Baseline(regression, classification));
        progress?.Report(new ExperimentProgress(3, 3));
        return new PredictorTrainingReport(regression.Train.Count, regression.Test.Count, starved.Average(), results);
    }

    private static TrainedPredictor Fit(string kind, TrainTestSplit regression, TrainTestSplit classification,
        Func<TabularData, TabularModel> fitThroughput, Func<TabularData, TabularModel> fitStarvation)
    {
        var clock = Stopwatch.StartNew();
        var throughput = fitThroughput(regression.Train);
        var starvation = fitStarvation(classification.Train);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var predicted = throughput.Predict(regression.Test).Select(ThroughputTarget.Decode).ToArray();
        var classes = starvation.Predict(classification.Test).Select(p => p >= 0.5 ? 1.0 : 0.0).ToArray();
        var micros = TimePerRow(regression.Test, throughput, starvation);
        return new TrainedPredictor(Quality(kind, Actual(regression), predicted, classification.Test.Targets, classes, micros, trainSeconds),
            throughput, starvation);
    }

    private static TrainedPredictor Baseline(TrainTestSplit regression, TrainTestSplit classification)
    {
        var mean = regression.Train.Targets.Select(ThroughputTarget.Decode).Average();
        var majority = classification.Train.Targets.Average() >= 0.5 ? 1.0 : 0.0;
        var predicted = regression.Test.Targets.Select(_ => mean).ToArray();
        var classes = classification.Test.Targets.Select(_ => majority).ToArray();
        return new TrainedPredictor(Quality("mean / majority", Actual(regression), predicted, classification.Test.Targets, classes, 0, 0), null, null);
    }

    private static double[] Actual(TrainTestSplit regression) => [.. regression.Test.Targets.Select(ThroughputTarget.Decode)];

    private static PredictorQuality Quality(string kind, IReadOnlyList<double> actual, double[] predicted, IReadOnlyList<double> actualClass,
        double[] predictedClass, double micros, double trainSeconds) =>
        new(kind, ModelMetrics.RSquared(actual, predicted), ModelMetrics.SmapePercent(actual, predicted), ModelMetrics.MeanAbsoluteError(actual, predicted),
            ModelMetrics.Accuracy(actualClass, predictedClass), ModelMetrics.F1(actualClass, predictedClass), micros, trainSeconds);

    /// <summary>Microseconds per row for both models, over repeated passes of the held-out rows (warm, one thread).</summary>
    private static double TimePerRow(TabularData rows, TabularModel throughput, TabularModel starvation)
    {
        var sink = 0.0;
        // Half a second of warm-up first: tiered compilation optimises the prediction loop only after it has run a while.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 500)
            for (var i = 0; i < rows.Count; i++) sink += throughput.Predict(rows.Row(i)) + starvation.Predict(rows.Row(i));
        var passes = 0;
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 300 || passes < 2)
        {
            for (var i = 0; i < rows.Count; i++) sink += throughput.Predict(rows.Row(i)) + starvation.Predict(rows.Row(i));
            passes++;
        }
        GC.KeepAlive(sink);
        return clock.Elapsed.TotalMilliseconds * 1000 / (passes * rows.Count);
    }
}
