using Stamen.Hardware;
using Stamen.Model;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;
using Stamen.Workload;

namespace Stamen.Adapters;

/// <summary>What one GPU serving a set of adapters achieved in the engine twin.</summary>
/// <param name="Starts">False when the engine cannot start with these slots at this max rank (the published memory limit).</param>
/// <param name="KvCapacityTokens">KV cache left once the adapter slots are allocated.</param>
/// <param name="StarvedAdapters">Adapters served below 0.9 of their own offered token rate.</param>
public sealed record GpuServingOutcome(
    bool Starts,
    int Slots,
    int MaxRank,
    long KvCapacityTokens,
    double ThroughputTokensPerSec,
    double OfferedTokensPerSec,
    bool Starved,
    double MeanTtftSec,
    double MeanItlSec,
    int StarvedAdapters,
    int Requests);

/// <summary>
/// One GPU as the multi-LoRA twin runs it (vLLM with chunked prefill, one engine per GPU): the adapters'
/// Poisson arrivals for <see cref="DurationSec"/>, the published load costs, step overhead and KV capacity
/// for the slots at the GPU's max rank (or GPU memory less the slots' buffers when nothing is published).
/// The dataset, the twin-backed predictor and plan verification all go through here.
/// </summary>
public sealed class GpuServingTwin
{
    public GpuServingTwin(ModelSpec model, GpuSpec gpu, IStepTimeModel stepTime, TokenCountDistribution promptTokens,
        TokenCountDistribution outputTokens, double durationSec, EnginePolicy? policy = null, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gpu);
        if (!(durationSec > 0)) throw new StamenInputException("adapters", "duration_s", "must be positive", "give the simulated seconds per GPU, e.g. 300");
        Model = model;
        Gpu = gpu;
        StepTime = stepTime ?? throw new ArgumentNullException(nameof(stepTime));
        PromptTokens = promptTokens ?? throw new ArgumentNullException(nameof(promptTokens));
        OutputTokens = outputTokens ?? throw new ArgumentNullException(nameof(outputTokens));
        DurationSec = durationSec;
        Policy = policy ?? EnginePolicyCatalog.Find("sarathi");
        Seed = seed;
        BaseConfig = EngineConfig.ForGpu(model, gpu);
        LoraProfileCatalog.BuiltIn.TryFind(model.Name, out var profile);
        Profile = profile;
    }

    public ModelSpec Model { get; }
    public GpuSpec Gpu { get; }
    public IStepTimeModel StepTime { get; }
    public TokenCountDistribution PromptTokens { get; }
    public TokenCountDistribution OutputTokens { get; }
    public double DurationSec { get; }
    public EnginePolicy Policy { get; }
    public int Seed { get; }

    /// <summary>The engine without adapters (KV from GPU memory).</summary>
    public EngineConfig BaseConfig { get; }

    /// <summary>The model's published LoRA costs, or null (then load costs and overhead are 0 and KV comes from memory).</summary>
    public LoraProfile? Profile { get; }

    /// <summary>A twin like this one whose arrivals come from another seed (to verify a plan on draws it was not made from).</summary>
    public GpuServingTwin WithSeed(int seed) => new(Model, Gpu, StepTime, PromptTokens, OutputTokens, DurationSec, Policy, seed);

    /// <summary>KV tokens left with <paramref name="slots"/> slots of <paramref name="maxRank"/>, or null when the engine would not start.</summary>
    public long? KvCapacityTokens(int slots, int maxRank)
    {
        try
        {
            var tokens = LoraKvCapacity.Resolve(Profile, BaseConfig, slots, maxRank).Tokens;
            return tokens >= BaseConfig.MaxContextTokens ? tokens : null;
        }
        catch (StamenInputException)
        {
            return null;
        }
    }

    /// <summary>Most slots considered: the largest count the published measurements cover.</summary>
    public const int SlotCap = 384;

    /// <summary>The most slots the engine starts with at <paramref name="maxRank"/>, on the slot ladder up to <see cref="SlotCap"/> (0 when not even 1 slot fits).</summary>
    public int MaxSlots(int maxRank)
    {
        var best = 0;
        foreach (var s in SlotLadder.UpTo(SlotCap))
        {
            if (KvCapacityTokens(s, maxRank) is null) break;
            best = s;
        }
        return best > 0 ? best : KvCapacityTokens(1, maxRank) is null ? 0 : 1;
    }

    /// <summary>Serves <paramref name="adapters"/> with <paramref name="slots"/> GPU slots for the twin's duration.</summary>
    public GpuServingOutcome Serve(IReadOnlyList<AdapterDemand> adapters, int slots)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        if (adapters.Count == 0) throw new ArgumentException("A GPU needs at least one adapter.", nameof(adapters));
        var maxRank = adapters.Max(a => a.Rank);
        slots = Math.Clamp(slots, 1, adapters.Count);
        var offered = adapters.Sum(a => a.RatePerSec) * (PromptTokens.Mean + OutputTokens.Mean);
        if (KvCapacityTokens(slots, maxRank) is not { } capacity)
            return new GpuServingOutcome(false, slots, maxRank, 0, 0, offered, true, double.NaN, double.NaN, adapters.Count, 0);
        var loraAdapters = adapters.Select(a => new LoraAdapter(a.Name, a.Rank)).ToArray();
        var lora = Profile?.EngineSettings(loraAdapters, slots, maxRank)
            ?? new LoraEngineSettings(loraAdapters, slots, maxRank, new Dictionary<int, double>(), Overhead: null);
        // Streams keyed by adapter name: an adapter brings the same arrivals to whichever GPU a plan puts it on.
        var requests = new AdapterPoissonWorkload([.. adapters.Select(a => a.RatePerSec)], DurationSec, PromptTokens, OutputTokens,
                [.. adapters.Select(a => AdapterPoissonWorkload.KeyOf(a.Name))])
            .Generate(Seed)
            .Select(r => new EngineRequest(r.Id, r.ArrivalMs, r.Shape.PromptTokens, r.Shape.OutputTokens, r.Adapter))
            .ToList();
        if (requests.Count == 0)
            return new GpuServingOutcome(true, slots, maxRank, capacity, 0, offered, false, double.NaN, double.NaN, 0, 0);
        var result = EngineTwin.Run(new EngineDeployment(BaseConfig with { KvCapacityTokens = capacity }, StepTime, Lora: lora), Policy, requests);
        var m = result.Metrics;
        return new GpuServingOutcome(true, slots, maxRank, capacity, m.TotalTokensPerSec, m.Starvation.OfferedTokensPerSec, m.Starvation.Starved,
            m.TimeToFirstToken.MeanMs / 1000, m.InterTokenLatency.MeanMs / 1000, result.Adapters.Count(a => a.Starvation.Starved), requests.Count);
    }
}
