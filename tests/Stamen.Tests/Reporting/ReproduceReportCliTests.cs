using Stamen.Tests.Cli;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Reporting;

/// <summary>
/// `--report X.html --json Y.json` on the `stamen reproduce` commands, each shrunk to a second or two: both files written,
/// Y carries the report, X shows every chart, and `stamen report Y` renders X byte for byte.
/// </summary>
public sealed class ReproduceReportCliTests
{
    [Theory]
    [InlineData("reproduce geo --runs 1 --examples {examples} --quiet")]
    [InlineData("reproduce milp-gap --instances 2 --seed 3 --quiet")]
    [InlineData("reproduce engine-lora --adapters 8,16 --slots 8,16 --duration-s 30 --quiet")]
    [InlineData("reproduce split")]
    public void ReportAndJson_BothWritten_JsonReRendersToTheSameHtml(string command)
    {
        using var folder = new TempFolder();
        var examples = GeoExamples(folder);
        var html = folder.FilePath("report.html");
        var json = folder.FilePath("results.json");
        var again = folder.FilePath("again.html");
        string[] args = [.. command.Split(' ').Select(a => a.Replace("{examples}", examples, StringComparison.Ordinal)), "--report", html, "--json", json];

        var result = CliHarness.Run(args);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Wrote report {html}", result.Out, StringComparison.Ordinal);
        ReportAssert.WellFormed(ReportAssert.SavedBeside(json, html, "reproduce"));
        Assert.Equal(0, CliHarness.Run("report", json, "-o", again).ExitCode);
        Assert.Equal(File.ReadAllText(html), File.ReadAllText(again));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    /// <summary>The scattered examples and the geo sweep alone, copied with their topology paths pointing at the repository's data/.</summary>
    private static string GeoExamples(TempFolder folder)
    {
        var examples = Directory.CreateDirectory(folder.FilePath("examples")).FullName;
        var data = Path.GetDirectoryName(RepositoryData.PathTo("README.md"))!;
        foreach (var name in ScenarioFiles.ExampleNames.Where(n => n.StartsWith("scattered-", StringComparison.Ordinal)))
            File.WriteAllText(Path.Combine(examples, name),
                File.ReadAllText(ScenarioFiles.ExamplePath(name)).Replace("../data", data, StringComparison.Ordinal));
        // `reproduce geo` runs the sweep file beside them.
        var sweeps = Directory.CreateDirectory(Path.Combine(examples, "sweeps")).FullName;
        File.Copy(Path.Combine(ScenarioFiles.RepositoryRoot, "examples", "sweeps", "geo.yaml"), Path.Combine(sweeps, "geo.yaml"));
        return examples;
    }
}
