using System.Net;
using System.Text.Json;
using Stamen.Cli.Rendering;
using Stamen.Reporting;
using Stamen.Reporting.Html;
using Stamen.Tests.Cli;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Reporting;

/// <summary>`--report` on compare, simulate, pareto and plan writes the HTML, and `--json` carries the same report.</summary>
public sealed class SwarmReportCliTests
{
    /// <summary>What a command wrote with `--report x.html --json y.json` on the small scenario.</summary>
    private sealed record Written(Report Report, string Html, JsonElement Json, CliResult Result);

    /// <summary>Runs `stamen COMMAND small.yaml ARGS --report x.html --json y.json`, checks it succeeded, and reads both files.</summary>
    private static Written Run(string command, params string[] args)
    {
        using var folder = new TempFolder();
        var scenario = folder.Write("small.yaml", ScenarioFiles.Small);
        var (html, json) = (folder.FilePath("x.html"), folder.FilePath("y.json"));
        var result = CliHarness.Run([command, scenario, .. args, "--report", html, "--json", json]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("Wrote report", result.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var report = doc.RootElement.GetProperty("report").Deserialize<Report>(JsonOutput.Options)!;
        var text = File.ReadAllText(html);
        var titles = report.Sections.SelectMany(s => s.Charts).Select(c => c.Title).ToList();
        Assert.NotEmpty(titles);
        Assert.All(titles, t => Assert.Contains(WebUtility.HtmlEncode(t), text, StringComparison.Ordinal));
        // The saved report renders to the same bytes as the one written at the end of the run.
        Assert.Equal(HtmlReport.Render(report), text);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
        return new Written(report, text, doc.RootElement.Clone(), result);
    }

    private static IEnumerable<Chart> Charts(Report report) => report.Sections.SelectMany(s => s.Charts);

    [Fact]
    public void Compare_ReportAndJson_WritesBothWithTheJsonFieldsUnchanged()
    {
        var written = Run("compare", "--quiet");
        Assert.Equal(["scenario", "runs", "seed", "fixed_delays", "results", "report"], written.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("swarm", written.Report.Kind);
        Assert.Contains(Charts(written.Report), c => c is MapChart);
        Assert.StartsWith("stamen compare ", written.Report.Command, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ToOtherFiles_SameReportAndTheCommandNamesNoOutputFile()
    {
        using var folder = new TempFolder();
        string[] names = ["a", "b"];
        var written = names.Select(n =>
        {
            var html = folder.FilePath($"{n}.html");
            Assert.Equal(0, CliHarness.Run("compare", "--runs", "1", "--json", folder.FilePath($"{n}.json"), "--report", html, "--quiet").ExitCode);
            using var doc = JsonDocument.Parse(File.ReadAllText(folder.FilePath($"{n}.json")));
            // The JSON's planning_ms is wall time; its report leaves it out, so the report must not differ.
            return (Report: doc.RootElement.GetProperty("report").GetRawText(), Html: File.ReadAllText(html),
                Command: doc.RootElement.GetProperty("report").GetProperty("command").GetString());
        }).ToList();

        Assert.Equal(written[0].Report, written[1].Report);
        Assert.Equal(written[0].Html, written[1].Html);
        Assert.Equal("stamen compare --runs 1 --quiet", written[0].Command);
    }

    [Fact]
    public void Compare_ReportOnly_WritesNoJson()
    {
        using var folder = new TempFolder();
        var scenario = folder.Write("small.yaml", ScenarioFiles.Small);
        var result = CliHarness.Run("compare", scenario, "--report", folder.FilePath("x.html"), "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["x.html", "small.yaml"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).OrderDescending());
    }

    [Fact]
    public void Simulate_Report_DrawsTheOneAlgorithm()
    {
        var written = Run("simulate", "-a", "cg-bp+ws-rr", "--quiet");
        Assert.All(Charts(written.Report).OfType<LineChart>(), c => Assert.Equal("cg-bp+ws-rr", Assert.Single(c.Series).Name));
    }

    [Fact]
    public void Pareto_ReportAndJson_DrawsTheFrontWithTheChosenPointsAsTheirOwnSeries()
    {
        var written = Run("pareto", "-a", "cg-bp+ws-rr");
        Assert.True(written.Json.TryGetProperty("knee", out _));
        Assert.Equal("pareto", written.Report.Kind);
        var scatter = Assert.Single(Charts(written.Report).OfType<ScatterChart>());
        Assert.Equal(["front", "knee", "weight 0.5"], scatter.Series.Select(s => s.Name));
        Assert.True(scatter.Series[0].Connect);
        Assert.Equal(written.Json.GetProperty("front").GetArrayLength(), scatter.Series[0].X.Count);
        Assert.Equal(scatter.Series[0].X.Order(), scatter.Series[0].X);
        Assert.Equal("ms/token", scatter.X.Unit);
    }

    [Fact]
    public void Plan_ReportAndJson_DrawsThePlacementAndEachClientsRoute()
    {
        var written = Run("plan", "-a", "petals");
        Assert.True(written.Json.TryGetProperty("servers", out _));
        Assert.Single(Charts(written.Report).OfType<PlacementChart>());
        Assert.Single(Assert.Single(Charts(written.Report).OfType<MapChart>()).Routes);
    }
}
