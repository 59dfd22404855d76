namespace Stamen.Adapters;

/// <summary>What a GPU serving some adapters with some slots is expected to do.</summary>
/// <param name="ThroughputTokensPerSec">Input + output tokens per second served.</param>
/// <param name="Starved">Served below 0.9 of the offered token rate, or the engine would not start.</param>
public sealed record GpuLoadPrediction(double ThroughputTokensPerSec, bool Starved);

/// <summary>Predicts one GPU's outcome for a candidate set of adapters and slots; placements ask it at their checkpoints.</summary>
public interface IGpuLoadPredictor
{
    /// <summary>Name for reports (e.g. "twin", "forest").</summary>
    string Name { get; }

    GpuLoadPrediction Predict(IReadOnlyList<AdapterDemand> adapters, int slots);
}

/// <summary>The engine twin itself as the predictor: exact with respect to the twin, and slower than a distilled model.</summary>
public sealed class TwinGpuLoadPredictor(GpuServingTwin twin) : IGpuLoadPredictor
{
    private int _calls;

    public string Name => "twin";

    /// <summary>Predictions made so far (each one a twin run).</summary>
    public int Calls => _calls;

    public GpuLoadPrediction Predict(IReadOnlyList<AdapterDemand> adapters, int slots)
    {
        Interlocked.Increment(ref _calls);
        var outcome = twin.Serve(adapters, slots);
        return new GpuLoadPrediction(outcome.ThroughputTokensPerSec, outcome.Starved || !outcome.Starts);
    }
}
