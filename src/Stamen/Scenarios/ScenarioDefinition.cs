using Stamen.Workload;

namespace Stamen.Scenarios;

/// <summary>
/// A scenario file as validated data, paths resolved against the file's folder. It still describes
/// random choices (server nodes, arrivals); <see cref="ScenarioResolver"/> makes them per seed.
/// </summary>
public sealed record ScenarioDefinition(
    string SourceFile,
    string Name,
    int Seed,
    int Runs,
    ModelChoice Model,
    string? ModelsFile,
    string? GpusFile,
    NetworkDefinition Network,
    ServersDefinition Servers,
    IReadOnlyList<ClientDefinition> Clients,
    WorkloadDefinition Workload,
    DelaysDefinition Delays,
    IReadOnlyList<AlgorithmChoice> Algorithms)
{
    /// <summary>workload.planning_rate_per_s: the arrival rate planners size R from, when given.</summary>
    public double? PlanningRatePerSec { get; init; }
}

/// <summary>A model from the catalog by name, or imported from a Hugging Face config.json.</summary>
public sealed record ModelChoice(string? CatalogName, string? ConfigPath, string? ImportedName, string? DType);

public enum NetworkKind
{
    /// <summary>No topology: every delay is given per server (measured deployment).</summary>
    Explicit,
    Synthetic,
    Repetita,
    GraphMl,
    RttCsv,
    Clustered,
}

/// <summary>Where propagation delays come from, plus the performance model's network overheads.</summary>
/// <param name="PerTokenOverheadMs">Added to propagation RTT per decode hop (reference: 100 ms).</param>
/// <param name="FirstTokenOverheadMs">Added to propagation RTT for the prefill hop (reference: 67 ms).</param>
/// <param name="FirstTokenMsPerPromptToken">Prefill hop time per prompt token (reference: 0.7049 ms).</param>
public sealed record NetworkDefinition(
    NetworkKind Kind,
    string? Path,
    int SyntheticNodes,
    int SyntheticSeed,
    IReadOnlyList<ClusterDefinition> Clusters,
    double IntraClusterRttMs,
    double InterClusterRttMs,
    double IntraClusterBandwidthBitsPerSec,
    double InterClusterBandwidthBitsPerSec,
    double? FibreRouteFactor,
    double PerTokenOverheadMs,
    double FirstTokenOverheadMs,
    double FirstTokenMsPerPromptToken);

public sealed record ClusterDefinition(string Name, int Nodes);

/// <summary>Servers generated from a GPU mix and/or listed explicitly (explicit ones join first, in order).</summary>
/// <param name="Count">Generated servers, or null.</param>
/// <param name="FractionOfNodes">Generated servers as a fraction of topology nodes (C = round(f * nodes)).</param>
/// <param name="GpuMix">GPU kinds with a count or a fraction each.</param>
/// <param name="Nodes">Nodes to place generated servers on (cycled), or empty for seeded random distinct nodes.</param>
/// <param name="Explicit">Servers given one by one.</param>
public sealed record ServersDefinition(
    int? Count,
    double? FractionOfNodes,
    IReadOnlyList<GpuShare> GpuMix,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<ServerDefinition> Explicit);

/// <summary>A GPU kind's share of generated servers: an exact count or a fraction.</summary>
public sealed record GpuShare(string Gpu, int? Count, double? Fraction);

/// <summary>One explicitly listed server; every null falls back to catalogs and topology.</summary>
public sealed record ServerDefinition(
    string Name,
    string Gpu,
    string? Node,
    double? MemoryGb,
    double? DecodeMsPerBlock,
    double? PrefillMsPerToken,
    double? PrefillFixedMs,
    int? MaxBlocks,
    double? ForwardRps,
    double? NetworkRps,
    IReadOnlyDictionary<string, double> RttMs,
    IReadOnlyDictionary<string, double> FirstTokenRttMs,
    IReadOnlyDictionary<string, double> ServerRttMs);

/// <summary>A client on a named node, or on a seeded random node when <see cref="Node"/> is null.</summary>
public sealed record ClientDefinition(string Name, string? Node, double Weight);

/// <summary>Where requests come from.</summary>
public abstract record WorkloadDefinition;

public sealed record PoissonWorkloadDefinition(double RatePerSec, int Requests, TokenCountDistribution PromptTokens, TokenCountDistribution OutputTokens)
    : WorkloadDefinition;

public sealed record TraceWorkloadDefinition(string Path, int? Limit, double TimeScale) : WorkloadDefinition;

public sealed record ExplicitArrival(double AtSec, int PromptTokens, int OutputTokens, string? Client);

public sealed record ExplicitWorkloadDefinition(IReadOnlyList<ExplicitArrival> Arrivals) : WorkloadDefinition;

/// <summary>Fixed per-request delays (reference section 1): a session start delay and an allocation delay per algorithm.</summary>
/// <param name="UsePublished">Take each algorithm's published allocation delay unless given below.</param>
public sealed record DelaysDefinition(double SessionStartMs, bool UsePublished, IReadOnlyDictionary<string, double> AllocationMs)
{
    /// <summary>
    /// <c>preset: off</c>: no fixed delay for any algorithm, the published reproductions' own included (the geo study's
    /// rows without the delays); <c>none</c> leaves the reproductions theirs.
    /// </summary>
    public bool Off { get; init; }

    public static DelaysDefinition None { get; } = new(0, false, new Dictionary<string, double>());
}

/// <summary>
/// An algorithm from the catalog by name, optionally with its parts replaced or their options
/// changed (placement, routing, admission), and where its fixed delays come from.
/// </summary>
/// <param name="Field">Path and line of the entry, for errors.</param>
public sealed record AlgorithmChoice(string Name, string? Base, PartChoice? Placement, PartChoice? Routing, PartChoice? Admission,
    string? FixedDelays = null, string Field = "algorithms")
{
    /// <summary>A catalog algorithm by name, unchanged.</summary>
    public static AlgorithmChoice Named(string name) => new(name, name, null, null, null);
}

/// <summary>One part of an algorithm as written: a catalog entry's name (null: the base algorithm's) and options as given.</summary>
/// <param name="Field">Path and line of the part, for errors.</param>
public sealed record PartChoice(string? Name, IReadOnlyList<Stamen.Options.RawOption> Options, string Field)
{
    public static PartChoice Named(string name) => new(name, [], name);
}
