using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stamen.Tests.Cli;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Reporting;

/// <summary>
/// Same inputs and seed, same bytes: two runs of a command give identical JSON and HTML apart from the
/// wall-clock figures, which live in a <c>timings</c> block of the JSON and a "Timings" section at the
/// end of the report.
/// </summary>
public sealed partial class TimingsCliTests
{
    public static TheoryData<string[]> Commands() => new()
    {
        { ["compare", "--runs", "2", "--quiet"] },
        { ["plan", "{swarm}", "-a", "cg-bp+ws-rr"] },
        { ["adapters", "plan", "{adapters}", "--methods", "greedy,balanced", "--quiet"] },
        { ["reproduce", "milp-gap", "--instances", "2", "--seed", "3", "--quiet"] },
        { ["split", "plan", "--quiet"] },
        { ["split", "simulate", "--quiet"] },
    };

    private static readonly string[] RunNames = ["a", "b"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void TwoRuns_SameSeed_IdenticalApartFromTimings(string[] command)
    {
        using var folder = new TempFolder();
        var swarm = folder.Write("swarm.yaml", ScenarioFiles.Small);
        var adapters = folder.Write("adapters.yaml", AdapterReportBuilderTests.TinyWorkload);
        var outputs = RunNames.Select(n =>
        {
            var json = folder.FilePath($"{n}.json");
            var html = folder.FilePath($"{n}.html");
            string[] args = [.. command.Select(a => a.Replace("{swarm}", swarm, StringComparison.Ordinal).Replace("{adapters}", adapters, StringComparison.Ordinal)),
                "--json", json, "--report", html];
            var result = CliHarness.Run(args);
            Assert.True(result.ExitCode == 0, result.Error);
            var node = JsonNode.Parse(File.ReadAllText(json))!;
            var removed = RemoveTimings(node);
            return (Json: node.ToJsonString(), Html: TimingsSection().Replace(File.ReadAllText(html), ""), Timings: removed);
        }).ToList();

        Assert.True(outputs[0].Timings > 0, "no timings block was found: the command measures wall time somewhere else");
        Assert.Equal(outputs[0].Json, outputs[1].Json);
        Assert.Equal(outputs[0].Html, outputs[1].Html);
    }

    /// <summary>Removes every property named "timings", at any depth; returns how many.</summary>
    private static int RemoveTimings(JsonNode node)
    {
        var removed = 0;
        switch (node)
        {
            case JsonObject o:
                if (o.Remove("timings")) removed++;
                foreach (var (_, child) in o.ToList())
                    if (child is not null) removed += RemoveTimings(child);
                break;
            case JsonArray a:
                foreach (var child in a)
                    if (child is not null) removed += RemoveTimings(child);
                break;
        }
        return removed;
    }

    [GeneratedRegex("<section class=\"timings\">.*?</section>\n", RegexOptions.Singleline)]
    private static partial Regex TimingsSection();
}
