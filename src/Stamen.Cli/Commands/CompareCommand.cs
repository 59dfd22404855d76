using System.CommandLine;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.Reporting.Swarm;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>`stamen compare [SCENARIO]`: every algorithm of the scenario on the same seeds.</summary>
internal static class CompareCommand
{
    private sealed record Settings(string? Scenario, int? Runs, int? Seed, bool WithoutFixedDelays, string? Json, string? Report, bool Quiet, string CommandLine);

    public static Command Create(CliConsole console)
    {
        var scenario = CommonOptions.OptionalScenario();
        var runs = CommonOptions.Runs();
        var seed = CommonOptions.Seed();
        var noDelays = CommonOptions.WithoutFixedDelays();
        var json = CommonOptions.Json();
        var report = CommonOptions.Report();
        var quiet = CommonOptions.Quiet();
        var command = new Command("compare", "Compare every algorithm of a scenario on the same seeds (no argument: the built-in default scenario)")
        {
            scenario, runs, seed, noDelays, json, report, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => Execute(console, new Settings(
            p.GetValue(scenario), p.GetValue(runs), p.GetValue(seed), p.GetValue(noDelays), p.GetValue(json), p.GetValue(report), p.GetValue(quiet),
            CommandText.Of(p)))));
        return command;
    }

    private static int Execute(CliConsole console, Settings s)
    {
        var definition = BuiltinScenarios.Load(s.Scenario);
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
