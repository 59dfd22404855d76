using System.Globalization;
using Stamen.Plans;
using Stamen.Simulation.Cluster;
using Stamen.Workload;

namespace Stamen.Helix;

/// <summary>
/// A model as Helix's profiles name it: its layers, the bytes of one token's hidden state (fp16), and the
/// published seeds of Helix's typical-throughput rule (<see cref="HelixTypicalThroughput"/>): typical layers per
/// machine type (a set for large clusters and one for small), and starting relative speeds.
/// </summary>
public sealed record HelixModel(string ProfileName, string CatalogName, int Layers, int HiddenSize,
    IReadOnlyDictionary<string, int> TypicalLayers, IReadOnlyDictionary<string, int> TypicalLayersSmall, IReadOnlyDictionary<string, double> InitialSpeed)
{
    public double ActivationBytesPerToken => 2.0 * HiddenSize;

    /// <summary>Helix's machine types, in the order its scripts list them (first: the models below read it).</summary>
    public static IReadOnlyList<string> MachineTypes { get; } = ["A100", "V100", "L4", "L4x2", "T4", "T4x2", "T4x4"];

    /// <summary>The two models Helix's artifact profiles (constants from its model_manager, published).</summary>
    public static IReadOnlyList<HelixModel> Known { get; } =
    [
        new("llama2_70b", "llama-2-70b", 80, 8192,
            Types(8, 3, 4, 9, 3, 6, 12), Types(12, 4, 7, 14, 4, 9, 18), Types(80.0, 40, 20, 30, 12.5, 20, 30)),
        new("llama1_30b", "llama-1-30b", 60, 6656,
            Types(12, 4, 8, 14, 4, 10, 20), Types(18, 7, 11, 22, 7, 15, 30), Types(48.0, 25, 9, 15, 8, 15, 23)),
    ];

    private static Dictionary<string, T> Types<T>(params T[] values) =>
        MachineTypes.Select((t, i) => (t, values[i])).ToDictionary(x => x.t, x => x.Item2, StringComparer.OrdinalIgnoreCase);

    public static HelixModel Find(string name, string file = "(input)", string field = "model") =>
        Known.FirstOrDefault(m => string.Equals(m.ProfileName, name, StringComparison.OrdinalIgnoreCase) || string.Equals(m.CatalogName, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new StamenInputException(file, field, $"unknown Helix model '{name}'", $"use one of {string.Join(", ", Known.Select(m => m.ProfileName))}");
}

/// <summary>Turns Helix's files into the batching twin's cluster, and a placement's max flow into the scheduler's link flows.</summary>
public static class HelixClusterSetup
{
    /// <summary>A placement's static max flow, or null where the tables do not give T_i(k) for every span it uses.</summary>
    public static PlacementFlow? CoveredFlow(IReadOnlyList<BlockSpan> spans, int layers, HelixThroughputs? tables, bool enterMidSpan = false) =>
        tables is not null && tables.Covers(spans) ? PlacementMaxFlow.Compute(spans, layers, tables, enterMidSpan) : null;

    /// <summary>Helix's profiles for <paramref name="model"/>: from <paramref name="profiles"/>, or ../profiles beside the cluster file.</summary>
    public static HelixProfiles Profiles(string clusterPath, string? profiles, HelixModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return HelixProfiles.Load(profiles ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(clusterPath))!, "..", "profiles"), model.ProfileName);
    }

    /// <summary>T_i(k) and link capacities: read from <paramref name="throughputs"/>, or computed by Helix's rule from the profiles and machine_profiles.ini beside the cluster file.</summary>
    public static HelixThroughputs Tables(HelixCluster cluster, string clusterPath, HelixModel model, HelixProfiles? profiles, string? throughputs)
    {
        if (throughputs is not null)
            return HelixThroughputs.Load(Path.Combine(throughputs, "node_throughput.csv"), Path.Combine(throughputs, "edge_capacity.csv"));
        var machines = HelixMachines.Load(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(clusterPath))!, "machine_profiles.ini"));
        return HelixTypicalThroughput.Compute(cluster, profiles!, model, machines, clusterPath);
    }

    /// <summary>The cluster with every machine's batch profile for <paramref name="model"/>; links keep Helix's bandwidth (bytes/s) and latency, links between machines both ways.</summary>
    public static ClusterSpec ToCluster(HelixCluster cluster, HelixProfiles profiles, HelixModel model, string file = "(cluster)")
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(model);
        var servers = cluster.Nodes.Select(n => new ClusterServer(n.Index.ToString(CultureInfo.InvariantCulture),
            profiles.For(n.Type, file, $"[ComputeNode-{n.Index}] type").ToBatchProfile(model.Layers))).ToArray();
        var links = cluster.DirectedLinks().Select(l => new ClusterLink(End(l.From), End(l.To), l.BandwidthBytesPerSec, l.LatencyMs)).ToArray();
        return new ClusterSpec(cluster.Name, servers, links, model.Layers, model.ActivationBytesPerToken);
    }

    /// <summary>The placement's static max flow as per-link flows for <see cref="MaxFlowIwrrScheduler"/>.</summary>
    public static IReadOnlyList<ClusterEdgeFlow> Flows(PlacementFlow flow) =>
        [.. flow.LinkFlows.Select(f => new ClusterEdgeFlow(End(f.From), End(f.To), f.TokensPerSec))];

    /// <summary>(prompt, output) pairs of a trace, filtered as Helix filters the Azure conversations: prompt under 2,048 tokens, output at most 1,000.</summary>
    public static RequestShape[] TraceLengths(string trace)
    {
        var rows = TraceWorkloadLoader.LoadRows(trace);
        var lengths = rows.Where(r => r.PromptTokens is >= 1 and < 2048 && r.OutputTokens is >= 1 and <= 1000).Select(r => new RequestShape(r.PromptTokens, r.OutputTokens)).ToArray();
        return lengths.Length > 0 ? lengths : throw new StamenInputException(trace, "(rows)", "no request with a prompt under 2,048 and at most 1,000 output tokens", "give a trace with such rows");
    }

    private static int End(string name) => name is HelixCluster.Source or HelixCluster.Sink ? ClusterSpec.Coordinator : int.Parse(name, CultureInfo.InvariantCulture);
}
