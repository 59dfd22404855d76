using Stamen.Experiments;

namespace Stamen.Adapters.Placement;

/// <summary>A plan replayed in the twin: each GPU's outcome, and the plan's totals.</summary>
public sealed record PlacementVerification(AdapterPlacement Placement, IReadOnlyList<GpuServingOutcome> Gpus)
{
    public int StarvedGpus => Gpus.Count(g => g.Starved || !g.Starts);

    public int GpusThatDoNotStart => Gpus.Count(g => !g.Starts);

    public double ThroughputTokensPerSec => Gpus.Sum(g => g.ThroughputTokensPerSec);

    public double OfferedTokensPerSec => Gpus.Sum(g => g.OfferedTokensPerSec);
}

/// <summary>
/// Replays every GPU of a plan in the engine twin (arrivals drawn from the verifying twin's seed, so a plan made
/// with the twin as predictor is checked on draws it did not see), GPUs in parallel.
/// </summary>
public static class PlacementVerifier
{
    public static PlacementVerification Verify(AdapterPlacement placement, GpuServingTwin twin, IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(twin);
        var outcomes = new GpuServingOutcome[placement.Gpus.Count];
        var done = 0;
        progress?.Report(new ExperimentProgress(0, outcomes.Length));
        Parallel.For(0, outcomes.Length, i =>
        {
            outcomes[i] = twin.Serve(placement.Gpus[i].Adapters, placement.Gpus[i].Slots);
            progress?.Report(new ExperimentProgress(Interlocked.Increment(ref done), outcomes.Length));
        });
        return new PlacementVerification(placement, outcomes);
    }
}
