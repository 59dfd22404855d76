using System.Globalization;

namespace Stamen.Network;

/// <summary>A named group of nodes that sit close together (one site or data centre).</summary>
public sealed record ClusterSpec(string Name, int NodeCount);

/// <summary>
/// Link figures of a clustered network. Defaults are the published "clustered" evaluation setup
/// (reference section 1, setup (a)): 5 ms RTT and 1 Gbit/s inside a cluster, 100 ms and
/// 100 Mbit/s between clusters.
/// </summary>
public sealed record ClusteredTopologyOptions(
    double IntraRttMs = 5,
    double IntraBandwidthBytesPerSec = 1e9 / 8,
    double InterRttMs = 100,
    double InterBandwidthBytesPerSec = 100e6 / 8);

/// <summary>
/// Builds a clustered network: node <c>&lt;cluster&gt;-&lt;i&gt;</c> (i from 0) for each cluster, one RTT
/// and bandwidth for pairs in the same cluster and another for pairs in different clusters.
/// Nodes have no coordinates.
/// </summary>
public static class ClusteredTopology
{
    public static Topology Build(IReadOnlyList<ClusterSpec> clusters, ClusteredTopologyOptions? options = null, string name = "clustered")
    {
        ArgumentNullException.ThrowIfNull(clusters);
        var o = options ?? new ClusteredTopologyOptions();
        const string Source = "(clustered topology)";
        if (clusters.Count == 0) throw new StamenInputException(Source, "clusters", "no clusters", "give at least one cluster");
        if (!(o.IntraRttMs >= 0) || !(o.InterRttMs >= 0) || double.IsInfinity(o.IntraRttMs) || double.IsInfinity(o.InterRttMs))
            throw new StamenInputException(Source, "rtt_ms", "RTTs must be finite and non-negative", "use values of 0 ms or more");
        if (!(o.IntraBandwidthBytesPerSec > 0) || !(o.InterBandwidthBytesPerSec > 0))
            throw new StamenInputException(Source, "bandwidth", "bandwidths must be positive", "use values above 0");

        var nodes = new List<NetworkNode>();
        var clusterOf = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < clusters.Count; c++)
        {
            var cluster = clusters[c];
            if (string.IsNullOrWhiteSpace(cluster.Name) || !seen.Add(cluster.Name))
                throw new StamenInputException(Source, $"clusters[{c}].name", $"missing or repeated cluster name '{cluster.Name}'", "give each cluster its own name");
            if (cluster.NodeCount <= 0)
                throw new StamenInputException(Source, $"clusters[{c}].node_count",
                    string.Create(CultureInfo.InvariantCulture, $"must be positive, got {cluster.NodeCount}"), "use 1 or more");
            for (var i = 0; i < cluster.NodeCount; i++)
            {
                nodes.Add(new NetworkNode(string.Create(CultureInfo.InvariantCulture, $"{cluster.Name}-{i}"), null, null));
                clusterOf.Add(c);
            }
        }

        var n = nodes.Count;
        var rtt = new double[n, n];
        var bandwidth = new double?[n, n];
        for (var a = 0; a < n; a++)
            for (var b = 0; b < n; b++)
            {
                if (a == b) continue;
                var same = clusterOf[a] == clusterOf[b];
                rtt[a, b] = same ? o.IntraRttMs : o.InterRttMs;
                bandwidth[a, b] = same ? o.IntraBandwidthBytesPerSec : o.InterBandwidthBytesPerSec;
            }
        return new Topology(name, nodes, rtt, bandwidth);
    }
}
