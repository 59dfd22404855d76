using System.Text.Json;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Cli;

/// <summary>`stamen helix flow` prints and writes the placement's max flow; bad paths are user errors.</summary>
public sealed class HelixCliTests
{
    private static string Data(string relative) => RepositoryData.PathTo(Path.Combine("helix", relative));

    [Fact]
    public void Flow_HelixPlacementOnSingle24_ThePublishedMaxFlow()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("flow.json");
        var derived = Path.GetDirectoryName(Data("derived/single24-llama2-70b/node_throughput.csv"))!;

        var result = CliHarness.Run("helix", "flow", Data("clusters/single24.ini"), Data("layouts/single24-llama2-70b/ilp_sol.ini"),
            "--throughputs", derived, "--json", json);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("max flow 1,289.56 tokens/s", result.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(1289.56, doc.RootElement.GetProperty("tokens_per_s").GetDouble(), 2);
        Assert.Equal(24, doc.RootElement.GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public void Flow_MissingTables_UserErrorNamingTheFile()
    {
        var result = CliHarness.Run("helix", "flow", Data("clusters/single24.ini"), Data("layouts/single24-llama2-70b/ilp_sol.ini"), "--throughputs", "/no/such/folder");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("node_throughput.csv", result.Error, StringComparison.Ordinal);
        Assert.Contains("not found", result.Error, StringComparison.Ordinal);
    }
}
