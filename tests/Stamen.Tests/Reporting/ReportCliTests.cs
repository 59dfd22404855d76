using Stamen.Tests.Cli;
using Stamen.Tests.Engine;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Reporting;

/// <summary>
/// `--report X.html --json Y.json` on the engine, adapters and split commands: both files written, Y carries the report,
/// X shows every chart, and the report re-rendered from Y is X byte for byte.
/// </summary>
public sealed class ReportCliTests
{
    public static TheoryData<string, string[]> Commands() => new()
    {
        { "engine", ["engine", "compare", "{engine}"] },
        { "engine", ["engine", "simulate", "{engine}", "--policy", "vllm"] },
        { "engine", ["engine", "sweep", "{engine}", "--factors", "0.5,1"] },
        { "adapters", ["adapters", "plan", "{adapters}", "--methods", "greedy,balanced"] },
        { "adapters", ["adapters", "verify", "{adapters}", "--methods", "greedy,balanced"] },
        { "split", ["split", "plan"] },
        { "split", ["split", "simulate", "--rate-scale", "0.5"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void ReportAndJson_BothWritten_JsonCarriesTheReportAndReRendersToTheSameHtml(string kind, string[] command)
    {
        using var folder = new TempFolder();
        var engine = folder.Write("engine.yaml", EngineStudyTests.Tight);
        var adapters = folder.Write("adapters.yaml", AdapterReportBuilderTests.TinyWorkload);
        var html = folder.FilePath("report.html");
        var json = folder.FilePath("results.json");
        string[] args = [.. command.Select(a => a.Replace("{engine}", engine, StringComparison.Ordinal).Replace("{adapters}", adapters, StringComparison.Ordinal)),
            "--report", html, "--json", json, "--quiet"];

        var result = CliHarness.Run(args);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Wrote report {html}", result.Out, StringComparison.Ordinal);
        ReportAssert.SavedBeside(json, html, kind);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void EngineCompare_ReportOnly_WritesTheHtmlAndNoJson()
    {
        using var folder = new TempFolder();
        var engine = folder.Write("engine.yaml", EngineStudyTests.Tight);
        var html = folder.FilePath("r.html");

        var result = CliHarness.Run("engine", "compare", engine, "--report", html, "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html), StringComparison.Ordinal);
        Assert.Equal([html], Directory.GetFiles(folder.Path, "*.html"));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.json"));
    }
}
