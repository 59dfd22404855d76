namespace Stamen.Adapters.Placement;

/// <summary>One GPU of a plan: its slot count (max_loras) and the adapters it serves.</summary>
public sealed record GpuAssignment(int Slots, IReadOnlyList<AdapterDemand> Adapters)
{
    public int MaxRank => Adapters.Max(a => a.Rank);

    public double RatePerSec => Adapters.Sum(a => a.RatePerSec);
}

/// <summary>A placement of every adapter on GPUs, by one method.</summary>
/// <param name="PredictedStarvedGpus">GPUs the method's own predictor expects to starve (methods that check say so rather than hide it).</param>
public sealed record AdapterPlacement(string Method, IReadOnlyList<GpuAssignment> Gpus, int PredictedStarvedGpus = 0)
{
    public int GpuCount => Gpus.Count;
}

/// <summary>Everything a placement method may use: the adapters, the twin's engine (memory limits, token lengths), and the predictor.</summary>
public sealed class AdapterPlacementContext(IReadOnlyList<AdapterDemand> adapters, GpuServingTwin twin, IGpuLoadPredictor predictor, int seed = 1)
{
    private readonly Dictionary<int, int> _maxSlots = [];

    public IReadOnlyList<AdapterDemand> Adapters { get; } = adapters ?? throw new ArgumentNullException(nameof(adapters));

    public GpuServingTwin Twin { get; } = twin ?? throw new ArgumentNullException(nameof(twin));

    public IGpuLoadPredictor Predictor { get; } = predictor ?? throw new ArgumentNullException(nameof(predictor));

    /// <summary>Seed of any random choice a method makes.</summary>
    public int Seed { get; } = seed;

    /// <summary>Tokens one request brings on average (prompt + output): an adapter offers rate x this per second.</summary>
    public double TokensPerRequest => Twin.PromptTokens.Mean + Twin.OutputTokens.Mean;

    /// <summary>Most slots a GPU whose largest rank is <paramref name="maxRank"/> can be given, cached per rank.</summary>
    public int MaxSlots(int maxRank)
    {
        lock (_maxSlots)
        {
            if (!_maxSlots.TryGetValue(maxRank, out var slots)) _maxSlots[maxRank] = slots = Twin.MaxSlots(maxRank);
            return slots;
        }
    }

    /// <summary>Slots for a GPU serving <paramref name="adapters"/> when a method does not search: the ladder value at most its adapter count, within memory.</summary>
    public int DefaultSlots(IReadOnlyList<AdapterDemand> adapters) =>
        Math.Max(1, Math.Min(SlotLadder.AtMost(adapters.Count), MaxSlots(adapters.Max(a => a.Rank))));

    /// <summary>How many of the plan's GPUs the predictor expects to starve.</summary>
    public int PredictedStarved(IEnumerable<GpuAssignment> gpus) => gpus.Count(g => Predictor.Predict(g.Adapters, g.Slots).Starved);
}

/// <summary>Places adapters on GPUs.</summary>
public interface IAdapterPlacer
{
    string Name { get; }

    AdapterPlacement Place(AdapterPlacementContext context);
}
