using Stamen.Helix;
using Stamen.Plans;

namespace Stamen.Tests.Helix;

/// <summary>
/// Helix's cluster, layout and throughput files read as Helix means them, with clear errors for malformed
/// ones; and the static max flow of the placements Helix ships equals the figures published with them.
/// </summary>
public sealed class HelixImportTests
{
    private static string Data(string relative) => RepositoryData.PathTo(Path.Combine("helix", relative));

    [Fact]
    public void Cluster_Single24_NodesTypesAndLinksInHelixUnits()
    {
        var cluster = HelixClusterFile.Load(Data("clusters/single24.ini"));
        Assert.Equal(24, cluster.Nodes.Count);
        Assert.Equal(new Dictionary<string, int> { ["A100"] = 4, ["L4"] = 8, ["T4"] = 12 },
            cluster.Nodes.GroupBy(n => n.Type).ToDictionary(g => g.Key, g => g.Count()));
        // One link per pair of the 24 nodes (the file lists each pair once), plus source -> every node and every node -> sink.
        Assert.Equal(24 * 23 / 2 + 24 + 24, cluster.Links.Count);
        // "1000 * mbps" is 1e9 bytes per second in Helix (mbps = 1e6, a byte = 1).
        Assert.All(cluster.Links, l => Assert.Equal((1e9, 1.0), (l.BandwidthBytesPerSec, l.LatencyMs)));
    }

    [Fact]
    public void Cluster_3cluster24_SlowLinksAcrossRegions()
    {
        var cluster = HelixClusterFile.Load(Data("clusters/3cluster24.ini"));
        var slow = cluster.Links.Where(l => l.BandwidthBytesPerSec < 1e8).ToList();
        Assert.NotEmpty(slow);
        Assert.All(slow, l => Assert.InRange(l.LatencyMs, 40, 60));
    }

    [Theory]
    [InlineData("[NodeNames]\ntotal_compute_nodes=2\n[ComputeNode-0]\ntype=A100\n", "[ComputeNode-1]", "missing")]
    [InlineData("[NodeNames]\ntotal_compute_nodes=1\n[ComputeNode-0]\ntype=A100\n[Link-0-sink]\nbandwidth=10 * furlongs\nlatency=1 * MilliSec\n", "[Link-0-sink] bandwidth", "unknown unit 'furlongs'")]
    [InlineData("[NodeNames]\ntotal_compute_nodes=1\n[ComputeNode-0]\ntype=A100\n[Link-0-7]\nbandwidth=10 * mbps\nlatency=1 * MilliSec\n", "[Link-0-7]", "'7' is not a compute node")]
    [InlineData("[NodeNames]\ntotal_compute_nodes=1\n[ComputeNode-0]\ntype=A100\n[Link-source-0]\nbandwidth=fast\nlatency=1 * MilliSec\n", "[Link-source-0] bandwidth", "is not NUMBER * UNIT")]
    [InlineData("[NodeNames]\ntotal_compute_nodes=99999999\n", "[NodeNames] total_compute_nodes", "not a whole number in 1..10000")]
    [InlineData("[NodeNames]\ntotal_compute_nodes=1\n[ComputeNode-0]\ntype=A100\n[Link-sink-0]\nbandwidth=10 * mbps\nlatency=1 * MilliSec\n", "[Link-sink-0]", "leave the source")]
    [InlineData("type=A100\n", "line 1", "a key before any [Section]")]
    [InlineData("[NodeNames]\ntotal_compute_nodes=1\n[NodeNames]\n", "[NodeNames] (line 3)", "appears twice")]
    public void Cluster_Malformed_ErrorNamesSectionAndKey(string text, string field, string problem)
    {
        var e = Assert.Throws<StamenInputException>(() => HelixClusterFile.Parse(text, "bad.ini"));
        Assert.Equal("bad.ini", e.File);
        Assert.StartsWith(field, e.Field, StringComparison.Ordinal);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(e.Fix));
    }

    [Fact]
    public void Layout_OffsetAndContiguousSpans()
    {
        var spans = HelixLayoutFile.Parse("[Settings]\noffset=2\n[Solution]\ncompute_node_2=[3, 4, 5]\ncompute_node_4=[0, 1, 2]\n", "l.ini", 3, 6);
        Assert.Equal([new BlockSpan(3, 3), BlockSpan.None, new BlockSpan(0, 3)], spans);
        var gap = Assert.Throws<StamenInputException>(() => HelixLayoutFile.Parse("[Solution]\ncompute_node_0=[1, 3]\n", "l.ini", 1, 6));
        Assert.Contains("not contiguous", gap.Problem, StringComparison.Ordinal);
        var outside = Assert.Throws<StamenInputException>(() => HelixLayoutFile.Parse("[Settings]\noffset=2\n[Solution]\ncompute_node_9=[1]\n", "l.ini", 3, 6));
        Assert.Equal("[Solution] compute_node_9", outside.Field);
    }

    [Fact]
    public void Layout_WrittenInHelixFormat_ReadsBackTheSame()
    {
        var spans = HelixLayoutFile.Load(Data("layouts/cluster42-llama2-70b/ilp_sol.ini"), 42, 80);
        Assert.Contains(spans, s => s.IsEmpty || s.Count > 1);
        Assert.Equal(spans, HelixLayoutFile.Parse(HelixLayoutFile.Write(spans), "written.ini", 42, 80));
    }

    /// <summary>Published static max flows of the shipped placements (tokens/s; data/helix/README.md).</summary>
    [Theory]
    [InlineData("single24", "ilp", false, 1289.56)]
    [InlineData("single24", "swarm", false, 757.85)]
    [InlineData("single24", "petals", false, 531.70)]
    [InlineData("single24", "petals", true, 952.11)]
    [InlineData("3cluster24", "ilp", false, 1212.18)]
    [InlineData("3cluster24", "swarm", false, 616.46)]
    [InlineData("3cluster24", "petals", false, 0)]
    [InlineData("3cluster24", "petals", true, 952.11)]
    [InlineData("cluster42", "ilp", false, 4137.55)]
    [InlineData("cluster42", "swarm", false, 4892.24)]
    [InlineData("cluster42", "petals", false, 655.73)]
    [InlineData("cluster42", "petals", true, 3292.24)]
    public void MaxFlow_ShippedPlacements_EqualPublishedFigures(string cluster, string layout, bool enterMidSpan, double published)
    {
        var nodes = HelixClusterFile.Load(Data($"clusters/{cluster}.ini")).Nodes.Count;
        var folder = $"{cluster}-llama2-70b";
        var spans = HelixLayoutFile.Load(Data($"layouts/{folder}/{layout}_sol.ini"), nodes, 80);
        var throughputs = HelixThroughputs.Load(Data($"derived/{folder}/node_throughput.csv"), Data($"derived/{folder}/edge_capacity.csv"));

        var flow = PlacementMaxFlow.Compute(spans, 80, throughputs, enterMidSpan);

        Assert.Equal(published, flow.TokensPerSec, 2);
        Assert.Equal(flow.TokensPerSec, flow.LinkFlows.Where(l => l.From == HelixCluster.Source).Sum(l => l.TokensPerSec), 6);
    }
}
