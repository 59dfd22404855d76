using System.Text.Json;
using Stamen.Experiments;
using Stamen.Optimization.Milp;
using Stamen.Tests.Cli;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Experiments;

public class MilpGapStudyTests
{
    private static readonly Lazy<MilpGapReport> Three = new(() => MilpGapStudy.Run(3, seed: 7));

    [Fact]
    public void Run_ThreeInstances_MilpOptimalAndNoHeuristicBelowIt()
    {
        var report = Three.Value;
        Assert.Equal(3, report.Instances.Count);
        foreach (var instance in report.Instances)
        {
            Assert.Equal(MilpStatus.Optimal, instance.Milp.Status);
            Assert.InRange(instance.Sessions, 1, 10);
            Assert.Equal(MilpGapStudy.Heuristics.Select(h => h.Name), instance.Heuristics.Select(h => h.Algorithm));
            foreach (var entry in instance.Heuristics.Where(e => e.RoutesFitMemory))
                Assert.True(entry.GapPercent(instance.Milp.ObjectiveMs) >= -1e-9,
                    $"instance {instance.Index}: {entry.Algorithm} {entry.ObjectiveMs} ms below the MILP's {instance.Milp.ObjectiveMs} ms");
        }
    }

    [Fact]
    public void Run_ThreeInstances_SummaryCountsAgreeWithEntries()
    {
        var report = Three.Value;
        foreach (var summary in report.Summaries)
        {
            var entries = report.Instances.Select(i => (i, e: i.Heuristics.Single(h => h.Algorithm == summary.Algorithm))).ToList();
            // Every instance is either compared or overflows; a placement that cannot carry R is one whose routes overflow.
            Assert.Equal(report.Instances.Count, summary.Compared + summary.RoutesOverflow);
            Assert.InRange(summary.CannotCarry, summary.NoPlan, summary.RoutesOverflow);
            Assert.Equal(entries.Count(x => !x.e.Planned), summary.NoPlan);
            Assert.All(entries.Where(x => !x.e.Planned), x => Assert.False(x.e.CanCarrySessions || x.e.RoutesFitMemory || x.e.OwnPoolHolds));
            var gaps = entries.Where(x => x.e.RoutesFitMemory).Select(x => x.e.GapPercent(x.i.Milp.ObjectiveMs)).ToList();
            if (gaps.Count == 0) continue;
            Assert.Equal(gaps.Average(), summary.MeanGapPercent, 9);
            Assert.Equal(gaps.Max(), summary.MaxGapPercent, 9);
            Assert.True(summary.MaxGapPercent >= summary.MeanGapPercent - 1e-9);
        }
    }

    [Fact]
    public void Run_SameSeed_SameReport()
    {
        var again = MilpGapStudy.Run(3, seed: 7);
        var first = Three.Value;
        Assert.Equal(first.Summaries, again.Summaries);
        Assert.Equal(first.Instances.Select(i => (i.Servers, i.Clients, i.Blocks, i.Sessions, i.Milp.ObjectiveMs)),
            again.Instances.Select(i => (i.Servers, i.Clients, i.Blocks, i.Sessions, i.Milp.ObjectiveMs)));
        Assert.Equal(first.Instances.SelectMany(i => i.Heuristics), again.Instances.SelectMany(i => i.Heuristics));
    }

    [Fact]
    public void Run_ZeroInstances_Throws() =>
        Assert.Throws<StamenInputException>(() => MilpGapStudy.Run(0, seed: 1));
}

public sealed class MilpGapCommandTests
{
    [Fact]
    public void ReproduceMilpGap_TwoInstances_WritesJsonAndMarkdown()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("gap.json");
        var markdown = folder.FilePath("gap.md");
        var result = CliHarness.Run("reproduce", "milp-gap", "--instances", "2", "--seed", "3", "--json", json, "--markdown", markdown, "-q");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("instances").GetArrayLength());
        var names = root.GetProperty("summaries").EnumerateArray().Select(s => s.GetProperty("algorithm").GetString()).ToList();
        Assert.Equal(MilpGapStudy.Heuristics.Select(h => h.Name), names);
        foreach (var instance in root.GetProperty("instances").EnumerateArray())
        {
            var milp = instance.GetProperty("milp").GetProperty("objective_ms").GetDouble();
            foreach (var h in instance.GetProperty("heuristics").EnumerateArray().Where(h => h.GetProperty("routes_fit_memory").GetBoolean()))
                Assert.True(h.GetProperty("objective_ms").GetDouble() >= milp * (1 - 1e-9));
        }
        var table = File.ReadAllLines(markdown);
        Assert.Equal(2 + names.Count, table.Length);
        Assert.All(names, n => Assert.Contains(table, line => line.StartsWith($"| {n} |", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReproduceMilpGap_WithAStore_ResumesAndGivesTheSameTable()
    {
        using var folder = new TempFolder();
        var store = folder.FilePath("store");
        string[] args = ["reproduce", "milp-gap", "--instances", "3", "--seed", "4", "--store", store, "-q"];
        var first = CliHarness.Run([.. args, "--markdown", folder.FilePath("a.md")]);
        Assert.Equal(0, first.ExitCode);
        var stored = Directory.GetFiles(store, "*.parquet").Select(File.GetLastWriteTimeUtc).ToList();
        Assert.NotEmpty(stored);
        var second = CliHarness.Run([.. args, "--markdown", folder.FilePath("b.md")]);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(File.ReadAllText(folder.FilePath("a.md")), File.ReadAllText(folder.FilePath("b.md")));
        // Nothing was solved again: every instance was in the store, so its file was not rewritten.
        Assert.Equal(stored, Directory.GetFiles(store, "*.parquet").Select(File.GetLastWriteTimeUtc).ToList());
    }

    [Fact]
    public void ReproduceMilpGap_FixedSizes_SolvesTheInstancesOfEverySize()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("sizes.json");
        var result = CliHarness.Run("reproduce", "milp-gap", "--servers", "4,5", "--clients", "1", "--blocks", "6", "--instances", "2", "--json", json, "-q");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        // --instances counts per size: two sizes, two each, in the study's order (every instance of a size together).
        Assert.Equal([4, 4, 5, 5], doc.RootElement.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("servers").GetInt32()));
    }
}