using System.Globalization;
using Stamen.Network;
using Stamen.Tests.Model;

namespace Stamen.Tests.Network;

public class RepetitaTopologyLoaderTests
{
    private static readonly RepetitaTopologyLoader Loader = new();

    [Fact]
    public void Load_Abvt_Has23NodesAndIsAMetric()
    {
        var t = Loader.Load(RepositoryData.PathTo("topologies/repetita/Abvt.graph"));

        Assert.Equal(23, t.Count);
        Assert.Equal("1_New_York", t.Nodes[1].Name);
        Assert.Equal(40.71427, t.Nodes[1].LatitudeDeg);
        TopologyAssert.IsMetric(t);
    }

    [Theory]
    [InlineData("Abvt.graph")]
    [InlineData("Bellcanada.graph")]
    public void Load_RealFile_AgreesWithFloydWarshall(string file)
    {
        var path = RepositoryData.PathTo("topologies/repetita/" + file);
        var t = Loader.Load(path);

        var expected = FloydWarshallRttMs(File.ReadAllLines(path));

        for (var a = 0; a < t.Count; a++)
            for (var b = 0; b < t.Count; b++)
                Assert.Equal(expected[a, b], t.RttMs(a, b), 9);
    }

    [Fact]
    public void Load_SmallGraph_GivesExactShortestPathRttAndBottleneck()
    {
        // A-B 1 ms, B-C 2 ms, A-C 5 ms (longer than via B), C-D 0.5 ms; bw in kbit/s.
        using var file = new TempFile(".graph", """
            NODES 4
            label x y
            A 0 0
            B 1 0
            C 2 0
            D 3 0

            EDGES 8
            label src dest weight bw delay
            e0 0 1 1 1000000 1000
            e1 1 0 1 1000000 1000
            e2 1 2 1 8000 2000
            e3 2 1 1 8000 2000
            e4 0 2 1 1000000 5000
            e5 2 0 1 1000000 5000
            e6 2 3 1 1000000 500
            e7 3 2 1 1000000 500
            """);

        var t = Loader.Load(file.Path);

        Assert.Equal(2 * (1 + 2.0), t.RttMs("A", "C"), 12);
        Assert.Equal(2 * (1 + 2 + 0.5), t.RttMs("A", "D"), 12);
        Assert.Equal(2 * 1.0, t.RttMs("A", "B"), 12);
        Assert.Equal(8000 * 1000 / 8.0, t.BandwidthBytesPerSec(0, 3));
        Assert.Equal(1e6 * 1000 / 8.0, t.BandwidthBytesPerSec(0, 1));
        Assert.Null(t.BandwidthBytesPerSec(2, 2));
    }

    [Fact]
    public void Load_DisconnectedGraph_NamesBothNodes()
    {
        using var file = new TempFile(".graph", "NODES 3\nlabel x y\nA 0 0\nB 0 0\nLonely 0 0\n\nEDGES 2\nlabel src dest weight bw delay\ne0 0 1 1 10 5\ne1 1 0 1 10 5\n");

        var e = Assert.Throws<StamenInputException>(() => Loader.Load(file.Path));

        Assert.Equal(file.Path, e.File);
        Assert.Contains("'A'", e.Problem, StringComparison.Ordinal);
        Assert.Contains("'Lonely'", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NODES 2\nlabel x y\nA 0 0\nB 0 zero\n", "line 4")]
    [InlineData("NODES 2\nlabel x y\nA 0 0\nB 0 0\nEDGES 1\nlabel src dest weight bw delay\ne0 0 7 1 10 5\n", "line 7")]
    [InlineData("NODES 2\nlabel x y\nA 0 0\nB 0 0\nEDGES 1\nlabel src dest weight bw delay\ne0 0 1 1 10\n", "line 7")]
    [InlineData("NODES 2\nlabel x y\nA 0 0\n", "end of file")]
    [InlineData("NODEZ 2\n", "line 1")]
    public void Load_MalformedFile_NamesTheLine(string text, string fieldStart)
    {
        using var file = new TempFile(".graph", text);

        var e = Assert.Throws<StamenInputException>(() => Loader.Load(file.Path));

        Assert.Equal(file.Path, e.File);
        Assert.StartsWith(fieldStart, e.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N") + ".graph");

        var e = Assert.Throws<StamenInputException>(() => Loader.Load(path));

        Assert.Equal(path, e.File);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IndexOf_UnknownNode_ThrowsInputError()
    {
        var t = Loader.Load(RepositoryData.PathTo("topologies/repetita/Abvt.graph"));

        var e = Assert.Throws<StamenInputException>(() => t.IndexOf("Gotham"));

        Assert.Equal("node", e.Field);
        Assert.Contains("0_Washington_CDC", e.Fix, StringComparison.Ordinal);
    }

    /// <summary>Independent parse and O(n^3) all-pairs shortest paths: RTT = d(a,b) + d(b,a).</summary>
    private static double[,] FloydWarshallRttMs(string[] lines)
    {
        var rows = lines.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var n = int.Parse(rows[0][1], CultureInfo.InvariantCulture);
        var edgesAt = rows.FindIndex(r => r[0] == "EDGES");
        var d = new double[n, n];
        for (var a = 0; a < n; a++)
            for (var b = 0; b < n; b++)
                d[a, b] = a == b ? 0 : double.PositiveInfinity;
        foreach (var r in rows.Skip(edgesAt + 2))
        {
            int s = int.Parse(r[1], CultureInfo.InvariantCulture), t = int.Parse(r[2], CultureInfo.InvariantCulture);
            d[s, t] = Math.Min(d[s, t], double.Parse(r[5], CultureInfo.InvariantCulture) / 1000);
        }
        for (var k = 0; k < n; k++)
            for (var a = 0; a < n; a++)
                for (var b = 0; b < n; b++)
                    d[a, b] = Math.Min(d[a, b], d[a, k] + d[k, b]);
        var rtt = new double[n, n];
        for (var a = 0; a < n; a++)
            for (var b = 0; b < n; b++)
                rtt[a, b] = a == b ? 0 : d[a, b] + d[b, a];
        return rtt;
    }
}
