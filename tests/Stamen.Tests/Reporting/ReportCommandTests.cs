using System.Text.Json;
using Stamen.Cli.Commands;
using Stamen.Cli.Rendering;
using Stamen.Reporting;
using Stamen.Reporting.Html;
using Stamen.Tests.Cli;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Reporting;

public sealed class ReportCommandTests
{
    [Fact]
    public void Json_ReportWithEveryChart_RoundTripsToTheSameHtml()
    {
        var report = ReportFixtures.WithEveryChart();

        var json = JsonSerializer.Serialize(report, JsonOutput.Options);
        var back = JsonSerializer.Deserialize<Report>(json, JsonOutput.Options)!;

        Assert.Contains("\"type\": \"placement\"", json, StringComparison.Ordinal);
        Assert.Contains("\"scale\": \"log\"", json, StringComparison.Ordinal);
        Assert.Contains("\"role\": \"server\"", json, StringComparison.Ordinal);
        Assert.Contains("\"session_capacity\": 12", json, StringComparison.Ordinal);
        Assert.Equal(HtmlReport.Render(report), HtmlReport.Render(back));
    }

    [Theory]
    [InlineData(true, "-o")]
    [InlineData(false, "--output")]
    public void Report_SavedResults_WritesTheSameHtmlAsTheRun(bool underReportProperty, string outputOption)
    {
        using var folder = new TempFolder();
        var report = ReportFixtures.WithEveryChart();
        var results = folder.FilePath("results.json");
        if (underReportProperty) JsonOutput.Write(results, new SwarmKeyJson("key.hex", "petals"), report);
        else JsonOutput.Write(results, report);
        var html = folder.FilePath("out.html");

        var result = CliHarness.Run("report", results, outputOption, html);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(html, result.Out, StringComparison.Ordinal);
        Assert.Equal(HtmlReport.Render(report), File.ReadAllText(html));
    }

    [Fact]
    public void Report_ChartTypeNotFirst_StillReads()
    {
        using var folder = new TempFolder();
        var results = folder.Write("r.json", """
            {"report": {"kind": "swarm", "title": "t", "command": "c", "summary": [], "sections": [{"title": "s", "text": null, "tables": [],
              "charts": [{"title": "b", "alt_text": "a", "type": "placement", "blocks": 4, "servers": [{"server": "x", "gpu": "g", "start": 0, "end": 4, "session_capacity": 1}]}]}]}}
            """);

        var result = CliHarness.Run("report", results, "-o", folder.FilePath("out.html"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 session", File.ReadAllText(folder.FilePath("out.html")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.json", null, "does not exist")]
    [InlineData("bad.json", "{ not json", "is not JSON")]
    [InlineData("list.json", "[1, 2]", "re-run the command with --json")]
    [InlineData("plain.json", """{"algorithms": ["petals"]}""", "re-run the command with --json")]
    [InlineData("broken.json", """{"report": {"kind": "swarm", "title": "t", "command": "c", "summary": [], "sections": [{"title": "s"}]}}""", "report.sections[0]")]
    [InlineData("holes.json", """{"report": {"kind": "swarm", "title": "t", "command": "c", "summary": [], "sections": [null]}}""", "report.sections[0]: is null")]
    public void Report_NoReportToRead_ExplainsInOneLine(string name, string? contents, string expected)
    {
        using var folder = new TempFolder();
        var path = contents is null ? folder.FilePath(name) : folder.Write(name, contents);
        var html = folder.FilePath("out.html");

        var result = CliHarness.Run("report", path, "-o", html);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.ErrorLines);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(html));
    }

    [Fact]
    public void Report_Help_NamesTheInputAndTheOutput()
    {
        var result = CliHarness.Run("report", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--json", result.Out, StringComparison.Ordinal);
        Assert.Contains("-o, --output", result.Out, StringComparison.Ordinal);
    }
}
