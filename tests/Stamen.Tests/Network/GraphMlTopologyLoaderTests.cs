using Stamen.Network;
using Stamen.Tests.Model;

namespace Stamen.Tests.Network;

public class GraphMlTopologyLoaderTests
{
    private const double FibreKmPerMs = 204.190;

    /// <summary>Central angle by the spherical law of cosines (independent of the loader's haversine).</summary>
    private static double GreatCircleKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double R(double d) => d * Math.PI / 180;
        var cos = Math.Sin(R(lat1)) * Math.Sin(R(lat2)) + Math.Cos(R(lat1)) * Math.Cos(R(lat2)) * Math.Cos(R(lon2 - lon1));
        return 6371 * Math.Acos(Math.Clamp(cos, -1, 1));
    }

    [Fact]
    public void Load_Abilene_NewYorkChicagoRttFollowsTheFibreFormula()
    {
        var t = new GraphMlTopologyLoader().Load(RepositoryData.PathTo("topologies/Abilene.graphml"));

        Assert.Equal(11, t.Count);
        Assert.Empty(t.Notes);
        var ny = t.Nodes[t.IndexOf("New York")];
        var chicago = t.Nodes[t.IndexOf("Chicago")];
        var km = GreatCircleKm(ny.LatitudeDeg!.Value, ny.LongitudeDeg!.Value, chicago.LatitudeDeg!.Value, chicago.LongitudeDeg!.Value);
        var expectedMs = 2 * km * 1.5 / FibreKmPerMs;
        Assert.Equal(expectedMs, t.RttMs("New York", "Chicago"), 6);
        Assert.InRange(t.RttMs("New York", "Chicago"), 10, 30); // measured NY-Chicago RTTs are about 17-25 ms
        TopologyAssert.IsMetric(t);
    }

    [Fact]
    public void Load_RouteFactor_ScalesEveryRtt()
    {
        var path = RepositoryData.PathTo("topologies/Abilene.graphml");
        var baseline = new GraphMlTopologyLoader().Load(path);
        var straight = new GraphMlTopologyLoader(new FibreModel(RouteFactor: 1.0)).Load(path);

        for (var a = 0; a < baseline.Count; a++)
            for (var b = 0; b < baseline.Count; b++)
                Assert.Equal(baseline.RttMs(a, b), 1.5 * straight.RttMs(a, b), 9);
    }

    [Theory]
    [InlineData("Abvt.graphml", 23)]
    [InlineData("Cogentco.graphml", 197)]
    [InlineData("GtsCe.graphml", 149)]
    [InlineData("Geant2012.graphml", 40)]
    [InlineData("Uninett2011.graphml", 69)]
    public void Load_NodesWithoutCoordinates_ArePlacedOrDroppedAndNoted(string file, int nodesInFile)
    {
        var t = new GraphMlTopologyLoader().Load(RepositoryData.PathTo("topologies/" + file));

        Assert.NotEmpty(t.Notes);
        Assert.InRange(t.Count, 2, nodesInFile);
        var dropped = t.Notes.Any(n => n.Contains("dropped", StringComparison.Ordinal));
        Assert.Equal(dropped, t.Count < nodesInFile);
        Assert.All(t.Nodes, n => Assert.True(n.LatitudeDeg is not null && n.LongitudeDeg is not null));
        Assert.Equal(t.Count, t.Nodes.Select(n => n.Name).Distinct().Count());
        // Two PoPs in one city, or a node placed on its only neighbour, are 0 ms apart.
        TopologyAssert.IsMetric(t, 1e-6, distinctNodesApart: false);
    }

    [Fact]
    public void Load_UnknownCoordinates_PlacedAtNeighbourCentroidOrDropped()
    {
        using var file = new TempFile(".graphml", """
            <?xml version="1.0" encoding="utf-8"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
              <key attr.name="label" attr.type="string" for="node" id="k1" />
              <key attr.name="Latitude" attr.type="double" for="node" id="k2" />
              <key attr.name="Longitude" attr.type="double" for="node" id="k3" />
              <graph edgedefault="undirected">
                <node id="a"><data key="k1">A</data><data key="k2">10</data><data key="k3">20</data></node>
                <node id="b"><data key="k1">B</data><data key="k2">30</data><data key="k3">40</data></node>
                <node id="m"><data key="k1">Middle</data></node>
                <node id="x"><data key="k1">Beyond</data></node>
                <node id="z"><data key="k1">Island</data></node>
                <edge source="a" target="m" />
                <edge source="m" target="b" />
                <edge source="m" target="x" />
              </graph>
            </graphml>
            """);

        var t = new GraphMlTopologyLoader().Load(file.Path);

        Assert.Equal(["A", "B", "Middle", "Beyond"], t.Nodes.Select(n => n.Name));
        Assert.Equal(20, t.Nodes[2].LatitudeDeg);
        Assert.Equal(30, t.Nodes[2].LongitudeDeg);
        Assert.Equal(20, t.Nodes[3].LatitudeDeg);
        Assert.Equal(0, t.RttMs("Middle", "Beyond"));
        Assert.Contains(t.Notes, n => n.Contains("Middle", StringComparison.Ordinal) && n.Contains("centroid", StringComparison.Ordinal));
        Assert.Contains(t.Notes, n => n.Contains("Island", StringComparison.Ordinal) && n.Contains("dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N") + ".graphml");

        var e = Assert.Throws<StamenInputException>(() => new GraphMlTopologyLoader().Load(path));

        Assert.Equal(path, e.File);
    }

    [Fact]
    public void Load_BrokenXml_NamesTheLine()
    {
        using var file = new TempFile(".graphml", "<graphml>\n<graph>\n<node id=\"a\">\n</graph>");

        var e = Assert.Throws<StamenInputException>(() => new GraphMlTopologyLoader().Load(file.Path));

        Assert.StartsWith("line ", e.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EdgeToUnknownNode_NamesIt()
    {
        using var file = new TempFile(".graphml",
            "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"><graph><node id=\"a\"/><edge source=\"a\" target=\"q\"/></graph></graphml>");

        var e = Assert.Throws<StamenInputException>(() => new GraphMlTopologyLoader().Load(file.Path));

        Assert.Contains("'q'", e.Problem, StringComparison.Ordinal);
    }
}
