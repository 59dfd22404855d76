using System.Globalization;
using Stamen.Learning;

namespace Stamen.Bench;

/// <summary>
/// Training and prediction time of the hand-written CART trees and random forest on data shaped like
/// the multi-LoRA throughput table (7 numeric features, a few thousand rows, a nonlinear target,
/// four irrelevant features): y = sin(x0)·x1 + x2² + noise. Prediction is timed as one loop over
/// <c>predictions</c> rows, reported per row; the targets are 0.3 ms per row for the 256-tree forest
/// and 0.01 ms for a depth-5 tree. Figures: per-row time in µs and held-out R².
/// </summary>
public sealed class LearningCases(int repetitions, int trainRows, int predictions, TextWriter log)
{
    public IEnumerable<BenchRow> Run()
    {
        var split = Synthetic(trainRows + trainRows / 3, seed: 1).Split(0.25, seed: 1);
        var rows = Synthetic(predictions, seed: 2);

        RandomForest forest = null!;
        var train = Measure.Once(() => forest = RandomForest.Fit(split.Train, TreeTask.Regression, new ForestOptions(Seed: 1)));
        var size = $"{split.Train.Count} rows, 7 features";
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"forest fit (256)",-20} {size,-32} {train.MedianMs,10:F1} ms on {Environment.ProcessorCount} cores"));
        yield return new BenchRow("learning", "forest fit, 256 trees", size, train.MedianMs, train.MinMs, 1,
            new Dictionary<string, double> { ["r2_test"] = ModelMetrics.RSquared(split.Test.Targets, forest.Predict(split.Test)) });

        var tree = DecisionTree.Fit(split.Train, TreeTask.Regression, new TreeOptions(MaxDepth: 5), seed: 0);
        yield return Predict("forest predict, 256 trees", forest, rows, split.Test);
        yield return Predict("tree predict, depth 5", tree, rows, split.Test);
    }

    private BenchRow Predict(string name, TabularModel model, TabularData rows, TabularData test)
    {
        var sink = 0.0;
        void PredictAll()
        {
            for (var i = 0; i < rows.Count; i++) sink += model.Predict(rows.Row(i));
        }
        // A depth-5 tree predicts 100,000 rows in a few ms: left to Measure's warm-up alone, the loop
        // would be timed before tiered compilation (which waits 100 ms) had optimised it.
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 500) PredictAll();
        var t = Measure.Run(repetitions, PredictAll);
        GC.KeepAlive(sink);
        var usPerRow = 1000 * t.MedianMs / rows.Count;
        var r2 = ModelMetrics.RSquared(test.Targets, model.Predict(test));
        var size = $"{rows.Count} rows";
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-28} {size,-24} {usPerRow,10:F3} µs/row  R² {r2:F3}"));
        return new BenchRow("learning", name, size, t.MedianMs, t.MinMs, t.SamplesMs.Count,
            new Dictionary<string, double> { ["us_per_row"] = usPerRow, ["r2_test"] = r2 });
    }

    private static TabularData Synthetic(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new double[rows][];
        var y = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            x[i] = Enumerable.Range(0, 7).Select(_ => -3 + 6 * rng.NextDouble()).ToArray();
            var noise = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            y[i] = Math.Sin(x[i][0]) * x[i][1] + x[i][2] * x[i][2] + 0.1 * noise;
        }
        return new TabularData(["x0", "x1", "x2", "x3", "x4", "x5", "x6"], x, y);
    }
}
