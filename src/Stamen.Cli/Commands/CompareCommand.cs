using System.CommandLine;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.Reporting.Swarm;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>`stamen compare [SCENARIO]`: every algorithm of the scenario on the same seeds.</summary>
internal static class CompareCommand
{
    private sealed record Settings(IReadOnlyList<string>? Scenarios, string? OutDir, int? Runs, int? Seed, bool WithoutFixedDelays, string? Json, string? Report, bool Quiet, string CommandLine);

    public static Command Create(CliConsole console)
    {
        var scenario = ScenarioBatch.Arguments("Scenario YAML file (omit for the built-in default scenario)", required: false);
        var outDir = ScenarioBatch.OutDir();
        var runs = CommonOptions.Runs();
        var seed = CommonOptions.Seed();
        var noDelays = CommonOptions.WithoutFixedDelays();
        var json = CommonOptions.Json();
        var report = CommonOptions.Report();
        var quiet = CommonOptions.Quiet();
        var command = new Command("compare", "Compare every algorithm of a scenario on the same seeds (no argument: the built-in default scenario)")
        {
            scenario, runs, seed, noDelays, json, report, outDir, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => Execute(console, new Settings(
            p.GetValue(scenario), p.GetValue(outDir), p.GetValue(runs), p.GetValue(seed), p.GetValue(noDelays), p.GetValue(json), p.GetValue(report), p.GetValue(quiet),
            CommandText.Of(p)))));
        return command;
    }

    private static int Execute(CliConsole console, Settings s)
    {
        var items = ScenarioBatch.Expand(s.Scenarios, n => n == BuiltinScenarios.DefaultName, none: BuiltinScenarios.DefaultName);
        ScenarioBatch.RequireBatchOptions(items, s.OutDir, ("--json", s.Json), ("--report", s.Report));
        return ScenarioBatch.Run(console, items, s.OutDir, item => BuiltinScenarios.Load(item.Scenario),
            (definition, json) => Execute(console, json is null ? s : s with { Json = json }, definition));
    }

    private static int Execute(CliConsole console, Settings s, ScenarioDefinition definition)
    {
        var resolver = ScenarioResolver.Create(definition, s.WithoutFixedDelays);
        var experiment = new SwarmExperiment(resolver);
        var runs = s.Runs ?? definition.Runs;
        ScenarioSummaryView.Write(console.Out, resolver, runs, s.Seed ?? definition.Seed);
        var wantReport = s.Report is not null || s.Json is not null;
        var (result, simulated) = ProgressView.Run(console.Out, $"Simulating {resolver.Algorithms.Count} algorithms x {runs} runs", s.Quiet,
            progress => experiment.CompareWithRuns(runs, s.Seed, progress: progress, recordRunZeroTimeline: wantReport));
        ComparisonView.Write(console.Out, result);
        if (!wantReport) return 0;
        var report = SwarmReportBuilder.Build(resolver, result, simulated, $"Stamen compare: {result.Scenario}", s.CommandLine);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, ComparisonJson.From(result), report);
            console.Out.Note($"Wrote {s.Json}");
        }
        if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, report);
        return 0;
    }
}
