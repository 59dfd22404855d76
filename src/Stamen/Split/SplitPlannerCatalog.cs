using Stamen.Options;

namespace Stamen.Split;

/// <summary>
/// Every split method on the catalog pattern: SplitLLM's dynamic program with its latency step, the
/// baselines, and the SLA-blind fastest placement. Split scenarios (<c>methods:</c>), the split
/// study and `stamen catalog split-methods` read this one table.
/// </summary>
public static class SplitPlannerCatalog
{
    /// <summary>The least-latency placement: what a method that meets no SLA is measured against.</summary>
    public const string Fastest = "fastest";

    /// <summary>Every layer on the server: what server work saved is measured against.</summary>
    public const string ServerOnly = "server-only";

    public static Catalog<ISplitPlanner> Planners { get; } = new("split methods", "split-methods",
    [
        new("dp", "SplitLLM's dynamic program: the least server work meeting the SLA, any number of client/server switches",
            [OptionSpec.Number("latency_step_ms", null, 1e-6, 1e6, "Latency step of the program (auto: 1/1000 of each request type's SLA); finer is slower", "ms")],
            v => new SplitDynamicProgram(v.NumberOrNull("latency_step_ms"))),
        new("greedy", "The published greedy baseline: move the layer saving the most server work per ms of latency to the client while the SLA holds",
            [], _ => new GreedySplit()),
        new("single-cut", "One cut: the first k layers on one side, the rest on the other; the least server work meeting the SLA",
            [], _ => new SingleCutSplit()),
        new(ServerOnly, "Every layer on the server (no split)", [], _ => new ServerOnlySplit()),
        new(Fastest, "The least-latency placement within the client's memory, whatever the server work", [], _ => new FastestSplit()),
    ]);

    /// <summary>The methods a split study compares when the scenario names none.</summary>
    public static IReadOnlyList<string> DefaultMethods { get; } = ["dp", "greedy", "single-cut", ServerOnly];
}
