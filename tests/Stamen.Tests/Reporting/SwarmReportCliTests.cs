using System.Net;
using System.Text.Json;
using Stamen.Cli.Rendering;
using Stamen.Reporting;
using Stamen.Reporting.Html;
using Stamen.Tests.Cli;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Reporting;

/// <summary>`--report` on compare, simulate and pareto writes the HTML, and `--json` carries the same report.</summary>
[Collection("Console")]
public sealed class SwarmReportCliTests
{
    private static Report ReportOf(string jsonPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(jsonPath));
        return doc.RootElement.GetProperty("report").Deserialize<Report>(JsonOutput.Options)!;
    }

    private static void AssertHtmlHasEveryChartTitle(string html, Report report)
    {
        var titles = report.Sections.SelectMany(s => s.Charts).Select(c => c.Title).ToList();
        Assert.NotEmpty(titles);
        Assert.All(titles, t => Assert.Contains(WebUtility.HtmlEncode(t), html, StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_ReportAndJson_WritesBothAndTheJsonReportRendersTheSameHtml()
    {
        using var folder = new TempFolder();
        var scenario = folder.Write("small.yaml", ScenarioFiles.Small);
        var (html, json) = (folder.FilePath("x.html"), folder.FilePath("y.json"));
        var result = CliHarness.Run("compare", scenario, "--report", html, "--json", json, "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("Wrote report", result.Out, StringComparison.Ordinal);

        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            Assert.Equal(["scenario", "runs", "seed", "fixed_delays", "results", "report"], doc.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal("swarm", doc.RootElement.GetProperty("report").GetProperty("kind").GetString());
        }
        var report = ReportOf(json);
        var text = File.ReadAllText(html);
        AssertHtmlHasEveryChartTitle(text, report);
        Assert.Equal(HtmlReport.Render(report), text);
        Assert.Contains(report.Sections.SelectMany(s => s.Charts), c => c is MapChart);
        Assert.Contains("stamen compare", report.Command, StringComparison.Ordinal);
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
        using var folder = new TempFolder();
        var scenario = folder.Write("small.yaml", ScenarioFiles.Small);
        var (html, json) = (folder.FilePath("x.html"), folder.FilePath("y.json"));
        var result = CliHarness.Run("simulate", scenario, "-a", "cg-bp+ws-rr", "--report", html, "--json", json, "--quiet");
        Assert.Equal(0, result.ExitCode);
        var report = ReportOf(json);
        Assert.All(report.Sections.SelectMany(s => s.Charts).OfType<LineChart>(), c => Assert.Equal("cg-bp+ws-rr", Assert.Single(c.Series).Name));
        AssertHtmlHasEveryChartTitle(File.ReadAllText(html), report);
    }

    [Fact]
    public void Pareto_ReportAndJson_DrawsTheFrontWithTheChosenPointsAsTheirOwnSeries()
    {
        using var folder = new TempFolder();
        var scenario = folder.Write("small.yaml", ScenarioFiles.Small);
        var (html, json) = (folder.FilePath("x.html"), folder.FilePath("y.json"));
        var result = CliHarness.Run("pareto", scenario, "-a", "cg-bp+ws-rr", "--report", html, "--json", json);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        int frontCount;
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            frontCount = doc.RootElement.GetProperty("front").GetArrayLength();
            Assert.True(doc.RootElement.TryGetProperty("knee", out _));
        }
        var report = ReportOf(json);
        Assert.Equal("pareto", report.Kind);
        var scatter = Assert.Single(report.Sections.SelectMany(s => s.Charts).OfType<ScatterChart>());
        Assert.Equal(["front", "knee", "weight 0.5"], scatter.Series.Select(s => s.Name));
        Assert.True(scatter.Series[0].Connect);
        Assert.Equal(frontCount, scatter.Series[0].X.Count);
        Assert.Equal(scatter.Series[0].X.Order(), scatter.Series[0].X);
        Assert.Equal("ms/token", scatter.X.Unit);
        AssertHtmlHasEveryChartTitle(File.ReadAllText(html), report);
    }

    [Fact]
    public void Plan_ReportAndJson_DrawsThePlacementAndEachClientsRoute()
    {
        using var folder = new TempFolder();
        var scenario = folder.Write("small.yaml", ScenarioFiles.Small);
        var (html, json) = (folder.FilePath("x.html"), folder.FilePath("y.json"));
        var result = CliHarness.Run("plan", scenario, "-a", "petals", "--report", html, "--json", json);
        Assert.Equal(0, result.ExitCode);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
            Assert.True(doc.RootElement.TryGetProperty("servers", out _));
        var report = ReportOf(json);
        var charts = report.Sections.SelectMany(s => s.Charts).ToList();
        Assert.Single(charts.OfType<PlacementChart>());
        Assert.Single(Assert.Single(charts.OfType<MapChart>()).Routes);
        AssertHtmlHasEveryChartTitle(File.ReadAllText(html), report);
    }
}
