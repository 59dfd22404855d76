using System.Globalization;
using Stamen.Adapters;
using Stamen.Adapters.Placement;
using Stamen.Experiments;
using Stamen.Hardware;
using Stamen.Learning;
using Stamen.Model;
using Stamen.Simulation.Engine;
using Stamen.Workload;

namespace Stamen.Bench;

/// <summary>
/// Adapter placement (issue 5): twin dataset generation rate (all cores), the distilled predictor's prediction
/// time (one thread, both models, from a GPU load's adapters to a verdict), and placement time for 1,000 adapters
/// per method with the forest as predictor.
/// </summary>
public sealed class AdapterCases(int repetitions, int cells, TextWriter log)
{
    public IEnumerable<BenchRow> Run()
    {
        var twin = new GpuServingTwin(ModelCatalog.BuiltIn.Find("llama-3.1-8b"), GpuCatalog.BuiltIn.Find("h100-sxm"), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"),
            new UniformTokenCount(32, 1024), new UniformTokenCount(16, 512), 300);
        IReadOnlyList<AdapterDatasetRow> rows = null!;
        var generate = Measure.Once(() => rows = AdapterDataset.Generate(twin, cells, seed: 1));
        var perSec = cells / (generate.MedianMs / 1000);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  dataset: {cells} twin runs of 300 s in {generate.MedianMs / 1000:F1} s, {perSec:F1} runs/s on {Environment.ProcessorCount} cores"));
        yield return new BenchRow("adapters", "dataset generation", $"{cells} cells x 300 s", generate.MedianMs, generate.MinMs, 1,
            new Dictionary<string, double> { ["twin_runs_per_s"] = perSec, ["cores"] = Environment.ProcessorCount });

        var report = PredictorTraining.Run([.. rows.Select(r => r.Features.ToArray())], [.. rows.Select(r => r.Outcome.ThroughputTokensPerSec)],
            [.. rows.Select(r => r.Outcome.Starved ? 1.0 : 0.0)]);
        var forest = report.Get("forest");
        var tree = report.Get($"tree (depth {PredictorTraining.TreeDepth})");
        var load = Enumerable.Range(0, 64).Select(k => new AdapterDemand($"a{k}", 8 << (k % 3), 0.1)).ToArray();
        foreach (var (name, trained, target) in new[] { ("forest (256 trees)", forest, 300.0), ("tree (depth 5)", tree, 10.0) })
        {
            var predictor = new DistilledGpuLoadPredictor(name, trained.Throughput!, trained.Starvation!, 528, 264);
            var t = Measure.Run(repetitions, () =>
            {
                for (var i = 0; i < 1000; i++) predictor.Predict(load, 32);
            });
            var us = t.MedianMs;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  predict, {name,-20} {us,8:F2} us per GPU load (64 adapters, features included); model alone {trained.Quality.PredictMicroseconds:F2} us"));
            yield return new BenchRow("adapters", $"predict, {name}", "64-adapter GPU load", us / 1000, t.MinMs / 1000, t.SamplesMs.Count,
                new Dictionary<string, double> { ["us_per_prediction"] = us, ["model_only_us"] = trained.Quality.PredictMicroseconds },
                us / 1000 < target / 1000 ? $"target < {target / 1000} ms: met" : $"target < {target / 1000} ms: NOT met");
        }

        var forestPredictor = new DistilledGpuLoadPredictor("forest", forest.Throughput!, forest.Starvation!, 528, 264);
        var rates = AdapterPoissonWorkload.ZipfRates(1000, 100, 1.0);
        var adapters = Enumerable.Range(0, 1000).Select(k => new AdapterDemand($"a{k:D4}", 8 << (k % 3), rates[k])).ToArray();
        foreach (var method in AdapterPlacerCatalog.All)
        {
            AdapterPlacement plan = null!;
            var t = Measure.Run(repetitions, () => plan = method.Place(new AdapterPlacementContext(adapters, twin, forestPredictor)));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  place 1000 adapters, {method.Name,-16} {t.MedianMs,9:F1} ms  {plan.GpuCount} GPUs"));
            yield return new BenchRow("adapters", $"place 1000 adapters, {method.Name}", "1000 adapters, Zipf 100 req/s", t.MedianMs, t.MinMs, t.SamplesMs.Count,
                new Dictionary<string, double> { ["gpus"] = plan.GpuCount });
        }
    }
}
