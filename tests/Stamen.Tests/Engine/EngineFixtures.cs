using Stamen.Hardware;
using Stamen.Model;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;
using Stamen.Workload;

namespace Stamen.Tests.Engine;

/// <summary>Shared engine set-ups: Llama-3.1-8B on one H100 and the first requests of the Azure conversation trace.</summary>
internal static class EngineFixtures
{
    /// <summary>Requests taken from the trace; enough to keep the engine saturated for minutes of simulated time.</summary>
    public const int TraceRequests = 2000;

    /// <summary>Compresses the trace 10x (about 47 requests/s), well past what one H100 serves, so queues build.</summary>
    public const double BusyTimeScale = 0.1;

    private static readonly Lazy<IReadOnlyList<EngineRequest>> Azure = new(() =>
        [.. TraceWorkloadLoader.Load(RepositoryData.PathTo("traces/azure_conv_2023.csv"), ["engine"], TraceRequests, BusyTimeScale)
            .Select(r => new EngineRequest(r.Id, r.ArrivalMs, r.Shape.PromptTokens, r.Shape.OutputTokens))]);

    public static IReadOnlyList<EngineRequest> AzureConversationBusy => Azure.Value;

    public static ModelSpec Llama8b => ModelCatalog.BuiltIn.Find("llama-3.1-8b");

    public static GpuSpec H100 => GpuCatalog.BuiltIn.Find("h100-sxm");

    public static EngineConfig LlamaOnH100() => EngineConfig.ForGpu(Llama8b, H100);

    public static IEnumerable<object[]> PolicyNames() => EnginePolicyCatalog.Names.Select(n => new object[] { n });

    /// <summary>
    /// A small random deployment and workload for property tests: tight KV, batch and budget limits, any block size,
    /// swap space or none, 1-3 instances under any router, and half the time adapters with few slots (and CPU
    /// slots, overheads and lending caps drawn too), so preemption, swapping, adapter loads and lending all happen.
    /// </summary>
    public static (EngineDeployment Deployment, List<EngineRequest> Requests) RandomCluster(Random rng)
    {
        var config = LlamaOnH100() with
        {
            KvCapacityTokens = rng.Next(100, 4000),
            MaxBatchSize = rng.Next(1, 40),
            TokenBudgetPerIteration = rng.Next(4, 600),
            BlockSizeTokens = rng.Next(1, 33),
            MaxContextTokens = rng.Next(200, 5000),
            SwapSpaceBytes = rng.Next(3) * 200 * LlamaOnH100().KvBytesPerToken,
        };
        var adapters = rng.Next(3) == 0 ? 0 : rng.Next(1, 8);
        var lora = adapters == 0
            ? null
            : new LoraEngineSettings(
                [.. Enumerable.Range(0, adapters).Select(k => new LoraAdapter($"a{k}", 8 << rng.Next(3)))],
                rng.Next(1, adapters + 1), 32, new Dictionary<int, double> { [8] = 6.6, [16] = 7.3, [32] = 8.1 },
                rng.Next(2) == 0 ? null : new LoraOverhead(1.93, 200), rng.Next(2) == 0 ? null : rng.Next(1, adapters + 1), 1.5);
        if (lora is not null && lora.MaxCpuLoras < lora.MaxLoras) lora = lora with { MaxCpuLoras = lora.MaxLoras };
        var deployment = new EngineDeployment(config, StepTimeCatalog.FittedPreset("qwen-2.5-7b-h100"), rng.Next(1, 4),
            EngineRouterCatalog.Names[rng.Next(EngineRouterCatalog.Names.Count)], lora)
        {
            DistKv = new DistKvSettings(rng.NextDouble(), 25e9, 0.01),
        };
        var arrivalMs = 0.0;
        var requests = Enumerable.Range(0, rng.Next(1, 60)).Select(i =>
        {
            arrivalMs += rng.Next(3) == 0 ? 0 : rng.NextDouble() * 40;
            return new EngineRequest(i, arrivalMs, rng.Next(1, 900), rng.Next(1, 400), adapters == 0 ? -1 : rng.Next(-1, adapters));
        }).ToList();
        return (deployment, requests);
    }
}

/// <summary>Wraps a step-time model and remembers every iteration shape it was asked about.</summary>
internal sealed class RecordingStepTime(IStepTimeModel inner) : IStepTimeModel
{
    public List<IterationShape> Shapes { get; } = [];

    public double StepMs(IterationShape shape)
    {
        Shapes.Add(shape);
        return inner.StepMs(shape);
    }
}
