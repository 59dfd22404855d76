using System.Diagnostics;
using Stamen.Adapters;
using Stamen.Adapters.Placement;
using Stamen.Optimization.Milp;
using Stamen.Scenarios.Adapters;

namespace Stamen.Experiments;

/// <summary>One method's plan, how long it took, and (when asked) the twin's verdict on it.</summary>
/// <param name="Predictions">When verified: the predictor's expectation for each GPU of the plan (same order), to set beside the twin's.</param>
public sealed record AdapterMethodResult(AdapterPlacement Placement, double PlanMs, PlacementVerification? Verification,
    IReadOnlyList<GpuLoadPrediction>? Predictions = null);

/// <summary>Every method's plan for one workload, beside the lower bound on GPUs.</summary>
/// <param name="Predictor">Name of the predictor the methods asked.</param>
/// <param name="VerifySeed">Seed of the verifying twin's arrivals, when verified.</param>
public sealed record AdapterPlacementReport(AdapterWorkload Workload, string Predictor, GpuLowerBoundResult LowerBound,
    IReadOnlyList<AdapterMethodResult> Methods, int? VerifySeed);

/// <summary>Plans a workload with each method (timed one after another), and optionally replays every plan in the twin.</summary>
public static class AdapterPlacementStudy
{
    public static AdapterPlacementReport Run(AdapterWorkload workload, IGpuLoadPredictor predictor, IReadOnlyList<IAdapterPlacer> methods,
        int? verifySeed, IMilpSolver? solver = null, IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(methods);
        var steps = methods.Count * (verifySeed is null ? 1 : 2) + 1;
        var done = 0;
        progress?.Report(new ExperimentProgress(0, steps));
        var bound = GpuLowerBound.Compute(workload.Adapters, workload.Twin, solver);
        progress?.Report(new ExperimentProgress(++done, steps));
        var results = new List<AdapterMethodResult>();
        foreach (var method in methods)
        {
            var clock = Stopwatch.StartNew();
            var placement = method.Place(new AdapterPlacementContext(workload.Adapters, workload.Twin, predictor, workload.Seed));
            var planMs = clock.Elapsed.TotalMilliseconds;
            progress?.Report(new ExperimentProgress(++done, steps));
            PlacementVerification? verification = null;
            GpuLoadPrediction[]? predictions = null;
            if (verifySeed is { } seed)
            {
                verification = PlacementVerifier.Verify(placement, workload.Twin.WithSeed(seed));
                predictions = new GpuLoadPrediction[placement.Gpus.Count];
                Parallel.For(0, predictions.Length, i => predictions[i] = predictor.Predict(placement.Gpus[i].Adapters, placement.Gpus[i].Slots));
                progress?.Report(new ExperimentProgress(++done, steps));
            }
            results.Add(new AdapterMethodResult(placement, planMs, verification, predictions));
        }
        return new AdapterPlacementReport(workload, predictor.Name, bound, results, verifySeed);
    }
}
