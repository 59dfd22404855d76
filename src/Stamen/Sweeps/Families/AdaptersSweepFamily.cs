using System.Diagnostics;
using Stamen.Adapters;
using Stamen.Adapters.Placement;
using Stamen.Optimization.Milp;
using Stamen.Scenarios;
using Stamen.Scenarios.Adapters;
using YamlDotNet.RepresentationModel;

namespace Stamen.Sweeps.Families;

/// <summary>
/// Adapter workloads (`stamen adapters verify`): each method's placement, made once per cell, verified in the engine twin
/// on run r's arrivals (seed + 1 + r, so run 0 is `adapters verify`'s default). Beside the workload's own fields a cell
/// takes <c>methods:</c> (placement methods, default all) and <c>predictor:</c> (twin, or a file from `adapters train`).
/// </summary>
public sealed class AdaptersSweepFamily : ISweepFamily
{
    public string Name => "adapters";
    public string AlgorithmsField => "methods";
    public string? RunsField => null;

    public IReadOnlyList<string> MetricNames { get; } =
    [
        "gpus", "lower_bound_gpus", "predicted_starved_gpus", "starved_gpus", "gpus_not_starting", "throughput_tokens_per_s", "offered_tokens_per_s", "served_fraction",
    ];

    public IReadOnlyList<string> ReportMetrics { get; } = ["gpus", "lower_bound_gpus", "starved_gpus", "served_fraction"];

    public string? BuiltinText(string name) => name == AdapterWorkloadParser.DefaultName ? AdapterWorkloadParser.DefaultYaml : null;

    public ISweepScenario Load(string text, string file, string baseDirectory)
    {
        // methods and predictor are the sweep's, not the workload file's: read and removed before the workload parser sees the rest.
        var root = YamlFields.LoadDocument(text, file, "start from the built-in adapters-default.yaml");
        var top = new YamlFields(file, "", root);
        var methods = top.OptList("methods")?.Select((n, i) => n is YamlScalarNode { Value: { Length: > 0 } v } ? v
            : throw top.Error(n, $"methods[{i}]", "expected a method name", $"use names from: {string.Join(", ", AdapterPlacerCatalog.Names)}")).ToList();
        var predictor = top.OptString("predictor") ?? "twin";
        ScenarioPaths.Set(root, "methods", null);
        ScenarioPaths.Set(root, "predictor", null);
        var workload = AdapterWorkloadParser.ParseText(ScenarioPaths.Emit(root), file);
        IReadOnlyList<IAdapterPlacer> placers;
        try
        {
            placers = methods is null ? AdapterPlacerCatalog.All : [.. methods.Select(AdapterPlacerCatalog.Find)];
        }
        catch (StamenInputException e)
        {
            throw top.Error("methods", e.Problem, e.Fix);
        }
        var spec = predictor.Trim().Equals("twin", StringComparison.OrdinalIgnoreCase) ? predictor : Path.GetFullPath(Path.Combine(baseDirectory, predictor));
        if (spec != predictor && !File.Exists(spec)) throw top.Error("predictor", $"file not found: {spec}", "give twin, or a predictor file from `stamen adapters train` (relative to the scenario)");
        return new Scenario(workload, placers, AdapterPredictorFile.Resolve(spec, workload.Twin));
    }

    private sealed class Scenario(AdapterWorkload workload, IReadOnlyList<IAdapterPlacer> placers, IGpuLoadPredictor predictor) : ISweepScenario
    {
        // A cell's plans and its lower bound are the same for every run: made once, by the first item that needs them.
        private readonly Lazy<GpuLowerBoundResult> _bound = new(() => GpuLowerBound.Compute(workload.Adapters, workload.Twin, new CbcMilpSolver()));
        private readonly Lazy<(AdapterPlacement Placement, double Ms)>[] _plans = [.. placers.Select(p => new Lazy<(AdapterPlacement, double)>(() =>
        {
            var clock = Stopwatch.StartNew();
            var placement = p.Place(new AdapterPlacementContext(workload.Adapters, workload.Twin, predictor, workload.Seed));
            return (placement, clock.Elapsed.TotalMilliseconds);
        }))];

        public string Name => workload.Name;
        public int Runs => 1;
        public IReadOnlyList<string> Algorithms { get; } = [.. placers.Select(p => p.Name)];

        public int RunSeed(int run) => checked(workload.Seed + 1 + run);

        public IReadOnlyList<SweepRunMetrics> Run(int run, CancellationToken cancellation)
        {
            var results = new List<SweepRunMetrics>(placers.Count);
            for (var m = 0; m < placers.Count; m++)
            {
                cancellation.ThrowIfCancellationRequested();
                var (placement, planMs) = _plans[m].Value;
                var clock = Stopwatch.StartNew();
                var verified = PlacementVerifier.Verify(placement, workload.Twin.WithSeed(RunSeed(run)));
                results.Add(new SweepRunMetrics(placers[m].Name,
                [
                    new("gpus", placement.GpuCount), new("lower_bound_gpus", _bound.Value.Gpus), new("predicted_starved_gpus", placement.PredictedStarvedGpus),
                    new("starved_gpus", verified.StarvedGpus), new("gpus_not_starting", verified.GpusThatDoNotStart),
                    new("throughput_tokens_per_s", verified.ThroughputTokensPerSec), new("offered_tokens_per_s", verified.OfferedTokensPerSec),
                    new("served_fraction", verified.OfferedTokensPerSec > 0 ? verified.ThroughputTokensPerSec / verified.OfferedTokensPerSec : double.NaN),
                ], [new("plan_ms", planMs), new("run_ms", clock.Elapsed.TotalMilliseconds)]));
            }
            return results;
        }
    }
}
