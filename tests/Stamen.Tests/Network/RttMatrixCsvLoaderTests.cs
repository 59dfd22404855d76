using Stamen.Network;
using Stamen.Tests.Model;

namespace Stamen.Tests.Network;

public class RttMatrixCsvLoaderTests
{
    [Fact]
    public void WriteThenLoad_SyntheticTopology_RoundTripsExactly()
    {
        var original = SyntheticTopologyGenerator.Generate(12, seed: 7);
        using var file = new TempFile(".csv", "");
        RttMatrixCsvWriter.Write(original, file.Path);

        var loaded = new RttMatrixCsvLoader().Load(file.Path);

        Assert.Equal(original.Nodes.Select(n => n.Name), loaded.Nodes.Select(n => n.Name));
        Assert.Equal(original.RttMatrixMs(), loaded.RttMatrixMs());
        Assert.Empty(loaded.Notes);
    }

    [Fact]
    public void WriteThenLoad_NamesWithCommasAndQuotes_RoundTrip()
    {
        var original = ClusteredTopology.Build([new ClusterSpec("Poti, \"Georgia\"", 2), new ClusterSpec("Oslo", 1)]);
        var text = new StringWriter();
        RttMatrixCsvWriter.Write(original, text);

        var loaded = RttMatrixCsvLoader.Parse(new StringReader(text.ToString()), "mem.csv", "x");

        Assert.Equal(original.Nodes.Select(n => n.Name), loaded.Nodes.Select(n => n.Name));
        Assert.Equal(original.RttMatrixMs(), loaded.RttMatrixMs());
    }

    [Fact]
    public void Parse_RowsInAnyOrderAndAsymmetric_AveragesAndNotes()
    {
        const string csv = "node,a,b,c\nc,30,20,0\na,0,10,30\nb,14,0,20\n";

        var t = RttMatrixCsvLoader.Parse(new StringReader(csv), "m.csv", "m");

        Assert.Equal(12, t.RttMs("a", "b"));
        Assert.Equal(12, t.RttMs("b", "a"));
        Assert.Equal(30, t.RttMs("a", "c"));
        Assert.Contains(t.Notes, n => n.StartsWith("1 asymmetric", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("node,a,b\na,0,x\nb,1,0\n", "line 2, column b")]
    [InlineData("node,a,b\na,0,-1\nb,1,0\n", "line 2, column b")]
    [InlineData("node,a,b\na,3,1\nb,1,0\n", "line 2, column a")]
    [InlineData("node,a,b\na,0,1\nq,1,0\n", "line 3")]
    [InlineData("node,a,b\na,0,1\nb,1\n", "line 3")]
    [InlineData("node,a,b\na,0,1\n", "rows")]
    [InlineData("name,a,b\na,0,1\nb,1,0\n", "line 1")]
    [InlineData("node,a,a\na,0,1\na,1,0\n", "line 1")]
    public void Parse_MalformedMatrix_NamesTheLine(string csv, string field)
    {
        var e = Assert.Throws<StamenInputException>(() => RttMatrixCsvLoader.Parse(new StringReader(csv), "m.csv", "m"));

        Assert.Equal("m.csv", e.File);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N") + ".csv");

        var e = Assert.Throws<StamenInputException>(() => new RttMatrixCsvLoader().Load(path));

        Assert.Equal(path, e.File);
    }
}
