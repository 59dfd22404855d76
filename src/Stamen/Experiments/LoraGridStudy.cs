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
/// <param name="KvCapacityTokens">The published capacity for the slots at the max rank, or null when the engine would not start.</param>
/// <param name="Metrics">Null when the engine would not start.</param>
/// <param name="StarvedAdapters">Adapters served below 0.9 of their offered token rate.</param>
public sealed record LoraGridCell(int Adapters, int Slots, long? KvCapacityTokens, EngineMetrics? Metrics, int StarvedAdapters);

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
        var stepTime = FittedStepTimeModel.H100PresetFor(setup.Model)
            ?? throw new StamenInputException("lora grid", "--model", $"no fitted H100 step time for {setup.Model}", "use llama-3.1-8b or qwen-2.5-7b");
        var policy = EnginePolicyCatalog.Find(setup.Policy);
        var baseConfig = EngineConfig.ForGpu(model, GpuCatalog.BuiltIn.Find("h100-sxm"));
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

    private static LoraGridCell RunCell(LoraGridSetup setup, LoraProfile profile, EngineConfig baseConfig, IStepTimeModel stepTime,
        EnginePolicy policy, int n, int slots)
    {
        var adapters = Enumerable.Range(0, n).Select(k => new LoraAdapter($"adapter-{k:D3}", setup.Ranks[k % setup.Ranks.Count])).ToArray();
        var maxRank = adapters.Max(a => a.Rank);
        long? capacity;
        try
        {
            capacity = profile.KvCapacityTokens(maxRank, slots);
        }
        catch (StamenInputException)
        {
            return new LoraGridCell(n, slots, null, null, 0);
        }
        var loadCosts = adapters.Select(a => a.Rank).Distinct().ToDictionary(r => r, r => profile.LoadCostMs(maxRank, r));
        var lora = new LoraEngineSettings(adapters, slots, maxRank, loadCosts, new LoraOverhead(profile.Overhead.K1, profile.Overhead.K2));
        var config = baseConfig with { KvCapacityTokens = capacity ?? LoraMemory.KvCapacityTokens(baseConfig.KvCapacityTokens, baseConfig.Model, slots, maxRank, baseConfig.KvBytesPerToken) };
        var workload = new AdapterPoissonWorkload(AdapterPoissonWorkload.UniformRates(n, setup.RatePerAdapterPerSec), setup.DurationSec,
            setup.PromptTokens, setup.OutputTokens).Generate(setup.Seed);
        var requests = workload.Select(r => new EngineRequest(r.Id, r.ArrivalMs, r.Shape.PromptTokens, r.Shape.OutputTokens, r.Adapter)).ToList();
        var result = EngineTwin.Run(new EngineDeployment(config, stepTime, Lora: lora), policy, requests);
        return new LoraGridCell(n, slots, config.KvCapacityTokens, result.Metrics, result.Adapters.Count(a => a.Starvation.Starved));
    }
}
