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
