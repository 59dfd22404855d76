using System.Globalization;
using Stamen.Tests.Scenarios;
using Stamen.Workload;

namespace Stamen.Tests.Workload;

public sealed class TraceWorkloadLoaderTests
{
    private static readonly string[] Columns = ["arrived_at", "num_prefill_tokens", "num_decode_tokens"];

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.25)]
    public void Load_AzureCodeTrace_FirstRowsScaledAndSorted(double timeScale)
    {
        var path = RepositoryData.PathTo("traces/azure_code_2023.csv");
        var requests = TraceWorkloadLoader.Load(path, ["a", "b", "c"], limit: 100, timeScale: timeScale);
        Assert.Equal(100, requests.Count);

        // Recompute from the raw rows: arrival ms = seconds x 1000 x time scale, lengths as given.
        var rows = File.ReadLines(path).Skip(1).Take(100).Select(l => l.Split(',')).ToList();
        Assert.Equal("arrived_at,num_prefill_tokens,num_decode_tokens", File.ReadLines(path).First());
        for (var i = 0; i < 100; i++)
        {
            var r = requests[i];
            Assert.Equal(i, r.Id);
            Assert.Equal(double.Parse(rows[i][0], CultureInfo.InvariantCulture) * 1000 * timeScale, r.ArrivalMs, 1e-9);
            Assert.Equal(int.Parse(rows[i][1], CultureInfo.InvariantCulture), r.Shape.PromptTokens);
            Assert.Equal(int.Parse(rows[i][2], CultureInfo.InvariantCulture), r.Shape.OutputTokens);
            Assert.Equal(i % 3, r.ClientIndex);
        }
        Assert.True(requests.Zip(requests.Skip(1)).All(p => p.First.ArrivalMs <= p.Second.ArrivalMs), "arrivals not sorted");
    }

    [Fact]
    public void Load_ClientColumn_MapsNamesToIndices()
    {
        using var folder = new TempFolder();
        var path = folder.Write("t.csv", "arrived_at,num_prefill_tokens,num_decode_tokens,client\n0,10,5,b\n1.5,20,6,a\n");
        var requests = TraceWorkloadLoader.Load(path, ["a", "b"]);
        Assert.Equal([1, 0], requests.Select(r => r.ClientIndex));
        Assert.Equal([0.0, 1500.0], requests.Select(r => r.ArrivalMs));
    }

    [Theory]
    [InlineData("num_prefill_tokens")]
    [InlineData("num_decode_tokens")]
    [InlineData("arrived_at")]
    public void Load_MissingColumn_NamesTheColumn(string column)
    {
        using var folder = new TempFolder();
        var header = string.Join(',', Columns.Where(c => c != column));
        var path = folder.Write("t.csv", header + "\n0,1\n");
        var e = Assert.Throws<StamenInputException>(() => TraceWorkloadLoader.Load(path, ["a"]));
        Assert.Equal(path, e.File);
        Assert.Contains($"'{column}'", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Unsorted_IsAnError()
    {
        using var folder = new TempFolder();
        var path = folder.Write("t.csv", "arrived_at,num_prefill_tokens,num_decode_tokens\n0,10,5\n2,10,5\n1,10,5\n");
        var e = Assert.Throws<StamenInputException>(() => TraceWorkloadLoader.Load(path, ["a"]));
        Assert.Equal(path, e.File);
        Assert.Equal("arrived_at", e.Field);
        Assert.Contains("not sorted", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownClient_NamesTheLine()
    {
        using var folder = new TempFolder();
        var path = folder.Write("t.csv", "arrived_at,num_prefill_tokens,num_decode_tokens,client\n0,10,5,a\n1,10,5,zed\n");
        var e = Assert.Throws<StamenInputException>(() => TraceWorkloadLoader.Load(path, ["a"]));
        Assert.StartsWith("line 3", e.Field, StringComparison.Ordinal);
        Assert.Contains("zed", e.Problem, StringComparison.Ordinal);
    }
}
