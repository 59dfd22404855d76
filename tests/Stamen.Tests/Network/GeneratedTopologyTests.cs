using Stamen.Network;

namespace Stamen.Tests.Network;

public class GeneratedTopologyTests
{
    [Fact]
    public void Build_Clusters_IntraAndInterValues()
    {
        var t = ClusteredTopology.Build([new ClusterSpec("eu", 3), new ClusterSpec("us", 2)]);

        Assert.Equal(["eu-0", "eu-1", "eu-2", "us-0", "us-1"], t.Nodes.Select(n => n.Name));
        for (var a = 0; a < t.Count; a++)
            for (var b = 0; b < t.Count; b++)
            {
                if (a == b) { Assert.Equal(0, t.RttMs(a, b)); continue; }
                var same = t.Nodes[a].Name[..2] == t.Nodes[b].Name[..2];
                Assert.Equal(same ? 5 : 100, t.RttMs(a, b));
                Assert.Equal(same ? 125e6 : 12.5e6, t.BandwidthBytesPerSec(a, b));
            }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Build_NonPositiveNodeCount_Throws(int count)
    {
        var e = Assert.Throws<StamenInputException>(() => ClusteredTopology.Build([new ClusterSpec("eu", count)]));

        Assert.Equal("clusters[0].node_count", e.Field);
    }

    [Fact]
    public void Generate_SameSeed_SameMatrix_DifferentSeed_DifferentMatrix()
    {
        var a = SyntheticTopologyGenerator.Generate(20, seed: 42);
        var b = SyntheticTopologyGenerator.Generate(20, seed: 42);
        var c = SyntheticTopologyGenerator.Generate(20, seed: 43);

        Assert.Equal(a.RttMatrixMs(), b.RttMatrixMs());
        Assert.NotEqual(a.RttMatrixMs(), c.RttMatrixMs());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Generate_AnySeed_NodesInBoxAndRttsAreAMetricAboveAccessFloor(int seed)
    {
        var o = SyntheticTopologyOptions.Default;
        var t = SyntheticTopologyGenerator.Generate(25, seed, o);

        Assert.All(t.Nodes, n =>
        {
            Assert.InRange(n.LatitudeDeg!.Value, o.Region.MinLatitudeDeg, o.Region.MaxLatitudeDeg);
            Assert.InRange(n.LongitudeDeg!.Value, o.Region.MinLongitudeDeg, o.Region.MaxLongitudeDeg);
        });
        for (var a = 0; a < t.Count; a++)
            for (var b = 0; b < t.Count; b++)
                if (a != b)
                {
                    var km = GreatCircle.DistanceKm(t.Nodes[a].LatitudeDeg!.Value, t.Nodes[a].LongitudeDeg!.Value,
                        t.Nodes[b].LatitudeDeg!.Value, t.Nodes[b].LongitudeDeg!.Value);
                    var fibreRttMs = 2 * o.Fibre.OneWayDelayMs(km);
                    Assert.InRange(t.RttMs(a, b) - fibreRttMs, 4 * o.MinAccessDelayMs - 1e-9, 4 * o.MaxAccessDelayMs + 1e-9);
                }
        TopologyAssert.IsMetric(t, 1e-9);
    }

    [Fact]
    public void DistanceKm_KnownCityPair_MatchesPublishedDistance()
    {
        // London - Paris great-circle distance is about 344 km.
        Assert.InRange(GreatCircle.DistanceKm(51.50853, -0.12574, 48.85341, 2.3488), 340, 348);
    }
}
