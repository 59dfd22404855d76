using Stamen.Adapters;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;
using Stamen.Workload;

namespace Stamen.Experiments;

/// <summary>The published multi-LoRA setting to sweep: one engine of a profiled model on an H100, adapters with ranks cycled from a list.</summary>
/// <param name="Model">A model with a published LoRA profile (llama-3.1-8b, qwen-2.5-7b).</param>
/// <param name="Ranks">Adapter k has rank Ranks[k mod count].</param>
/// <param name="RatePerAdapterPerSec">Poisson rate of each adapter.</param>
/// <param name="Policy">Engine policy (the published twin is vLLM with chunked prefill: sarathi).</param>
public sealed record LoraGridSetup(
    string Model,
    IReadOnlyList<int> Ranks,
    double RatePerAdapterPerSec,
    double DurationSec,
    TokenCountDistribution PromptTokens,
    TokenCountDistribution OutputTokens,
    string Policy = "sarathi",
    int Seed = 1);

/// <summary>One (served adapters, slots) cell.</summary>
/// <param name="KvCapacityTokens">The capacity for the slots at the max rank (published where measured, see <see cref="KvSource"/>), or null when the engine would not start.</param>
/// <param name="Metrics">Null when the engine would not start.</param>
/// <param name="StarvedAdapters">Adapters served below 0.9 of their offered token rate.</param>
public sealed record LoraGridCell(int Adapters, int Slots, long? KvCapacityTokens, EngineMetrics? Metrics, int StarvedAdapters)
{
    /// <summary>Where the KV capacity came from (a published point, interpolated, or the memory fallback); null when the engine would not start.</summary>
    public KvCapacitySource? KvSource { get; init; }

    /// <summary>Why the capacity fell back to GPU memory (the published cell that is missing); null when published.</summary>
    public string? KvFallback { get; init; }
}

/// <summary>
/// The multi-LoRA twin's grid: throughput and starvation of one engine as the number of served adapters
/// and GPU adapter slots (max_loras) vary, with the published load costs, step overhead and KV capacity.
/// A slot count larger than the adapters served is skipped (vLLM caps it at the adapters present).
/// </summary>
public static class LoraGridStudy
{
    public static IReadOnlyList<LoraGridCell> Run(LoraGridSetup setup, IReadOnlyList<int> adapterCounts, IReadOnlyList<int> slotCounts,
        IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(adapterCounts);
        ArgumentNullException.ThrowIfNull(slotCounts);
        var model = ModelCatalog.BuiltIn.Find(setup.Model);
        if (!LoraProfileCatalog.BuiltIn.TryFind(setup.Model, out var profile))
            throw new StamenInputException("lora grid", "--model", $"no LoRA profile is published for {setup.Model}",
                $"use one of {string.Join(", ", LoraProfileCatalog.BuiltIn.Names)}");
        var policy = EnginePolicyCatalog.Find(setup.Policy);
        var baseConfig = EngineConfig.ForGpu(model, GpuCatalog.BuiltIn.Find("h100-sxm"));
        var stepTime = StepTimeCatalog.DefaultFor(baseConfig).Model;
        var cells = new List<(int N, int Slots)>();
        foreach (var n in adapterCounts)
            foreach (var slots in slotCounts)
                if (slots <= n) cells.Add((n, slots));
        var results = new LoraGridCell[cells.Count];
        var done = 0;
        progress?.Report(new ExperimentProgress(0, cells.Count));
        Parallel.For(0, cells.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (n, slots) = cells[i];
            results[i] = RunCell(setup, profile, baseConfig, stepTime, policy, n, slots);
            progress?.Report(new ExperimentProgress(Interlocked.Increment(ref done), cells.Count));
        });
        return results;
    }

    /// <summary>One cell on its own (what a sweep's item runs): the setup's model, profile and policy resolved here.</summary>
    public static LoraGridCell Cell(LoraGridSetup setup, int adapters, int slots)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var model = ModelCatalog.BuiltIn.Find(setup.Model);
        if (!LoraProfileCatalog.BuiltIn.TryFind(setup.Model, out var profile))
            throw new StamenInputException("lora grid", "model", $"no LoRA profile is published for {setup.Model}", $"use one of {string.Join(", ", LoraProfileCatalog.BuiltIn.Names)}");
        var baseConfig = EngineConfig.ForGpu(model, GpuCatalog.BuiltIn.Find("h100-sxm"));
        return RunCell(setup, profile, baseConfig, StepTimeCatalog.DefaultFor(baseConfig).Model, EnginePolicyCatalog.Find(setup.Policy), adapters, slots);
    }

    /// <summary>Where a cell's KV capacity comes from (published, interpolated, memory), or null when the engine would not start.</summary>
    public static LoraKvCapacity? Capacity(LoraGridSetup setup, int adapters, int slots)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var model = ModelCatalog.BuiltIn.Find(setup.Model);
        if (!LoraProfileCatalog.BuiltIn.TryFind(setup.Model, out var profile)) return null;
        var maxRank = Enumerable.Range(0, adapters).Max(k => setup.Ranks[k % setup.Ranks.Count]);
        try
        {
            return LoraKvCapacity.Resolve(profile, EngineConfig.ForGpu(model, GpuCatalog.BuiltIn.Find("h100-sxm")), slots, maxRank);
        }
        catch (StamenInputException)
        {
            return null;
        }
    }

    private static LoraGridCell RunCell(LoraGridSetup setup, LoraProfile profile, EngineConfig baseConfig, IStepTimeModel stepTime,
        EnginePolicy policy, int n, int slots)
    {
        var adapters = Enumerable.Range(0, n).Select(k => new LoraAdapter($"adapter-{k:D3}", setup.Ranks[k % setup.Ranks.Count])).ToArray();
        var maxRank = adapters.Max(a => a.Rank);
        LoraKvCapacity capacity;
        try
        {
            capacity = LoraKvCapacity.Resolve(profile, baseConfig, slots, maxRank);
        }
        catch (StamenInputException)
        {
            return new LoraGridCell(n, slots, null, null, 0);
        }
        var lora = profile.EngineSettings(adapters, slots, maxRank);
        var config = baseConfig with { KvCapacityTokens = capacity.Tokens };
        var workload = new AdapterPoissonWorkload(AdapterPoissonWorkload.UniformRates(n, setup.RatePerAdapterPerSec), setup.DurationSec,
            setup.PromptTokens, setup.OutputTokens).Generate(setup.Seed);
        var requests = workload.Select(r => new EngineRequest(r.Id, r.ArrivalMs, r.Shape.PromptTokens, r.Shape.OutputTokens, r.Adapter)).ToList();
        var result = EngineTwin.Run(new EngineDeployment(config, stepTime, Lora: lora), policy, requests);
        return new LoraGridCell(n, slots, config.KvCapacityTokens, result.Metrics, result.Adapters.Count(a => a.Starvation.Starved))
        {
            KvSource = capacity.Source,
            KvFallback = capacity.MissingCell,
        };
    }
}
