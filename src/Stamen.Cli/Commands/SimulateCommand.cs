using System.CommandLine;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.IO;
using Stamen.Reporting.Swarm;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>`stamen simulate SCENARIO -a NAME`: one algorithm in the twin, with per-request output.</summary>
internal static class SimulateCommand
{
    private sealed record Settings(IReadOnlyList<string> Scenarios, string? OutDir, string Algorithm, int? Runs, int? Seed, bool WithoutFixedDelays, string? Requests, string? Json, string? Report, bool Quiet,
        string CommandLine);

    public static Command Create(CliConsole console)
    {
        var scenario = ScenarioBatch.Arguments("Scenario YAML file (`default` for the built-in one)", required: true);
        var outDir = ScenarioBatch.OutDir();
        var algorithm = CommonOptions.Algorithm();
        var runs = CommonOptions.Runs();
        var seed = CommonOptions.Seed();
        var noDelays = CommonOptions.WithoutFixedDelays();
        var requests = new Option<string?>("--requests")
        {
            Description = "Write one CSV row per request (run, arrival, servers on the path, wait, first-token and total time, outcome)",
            HelpName = "PATH",
        };
        var json = CommonOptions.Json();
        var report = CommonOptions.Report();
        var quiet = CommonOptions.Quiet();
        var command = new Command("simulate", "Run one algorithm of a scenario in the swarm twin over its Monte Carlo runs")
        {
            scenario, algorithm, runs, seed, noDelays, requests, json, report, outDir, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => Execute(console, new Settings(
            p.GetValue(scenario)!, p.GetValue(outDir), p.GetValue(algorithm)!, p.GetValue(runs), p.GetValue(seed), p.GetValue(noDelays),
            p.GetValue(requests), p.GetValue(json), p.GetValue(report), p.GetValue(quiet), CommandText.Of(p)))));
        return command;
    }

    private static int Execute(CliConsole console, Settings s)
    {
        var items = ScenarioBatch.Expand(s.Scenarios, n => n == BuiltinScenarios.DefaultName, none: null);
        ScenarioBatch.RequireBatchOptions(items, s.OutDir, ("--json", s.Json), ("--report", s.Report), ("--requests", s.Requests));
        return ScenarioBatch.Run(console, items, s.OutDir, item => BuiltinScenarios.Load(item.Scenario),
            (definition, json) => Execute(console, json is null ? s : s with { Json = json }, definition));
    }

    private static int Execute(CliConsole console, Settings s, ScenarioDefinition definition)
    {
        var resolver = ScenarioResolver.Create(definition, s.WithoutFixedDelays);
        var algorithm = resolver.FindAlgorithm(s.Algorithm);
        var experiment = new SwarmExperiment(resolver);
        var runs = s.Runs ?? definition.Runs;
        ScenarioSummaryView.Write(console.Out, resolver, runs, s.Seed ?? definition.Seed);
        var (result, simulated) = ProgressView.Run(console.Out, $"Simulating {algorithm.Name} x {runs} runs", s.Quiet,
            progress => experiment.CompareWithRuns(runs, s.Seed, [algorithm], progress, recordRunZeroTimeline: s.Report is not null || s.Json is not null));
        ComparisonView.Write(console.Out, result);
        ServerMemoryView.Write(console.Out, simulated[0][0]);
        if (s.Requests is not null)
        {
            AtomicFile.Write(s.Requests, w => RequestCsv.Write(w, simulated.Select(r => r[0]).ToList()));
            console.Out.Note($"Wrote {s.Requests} ({simulated.Sum(r => r[0].Twin.Requests.Count)} requests)");
        }
        if (s.Report is null && s.Json is null) return 0;
        var report = SwarmReportBuilder.Build(resolver, result, simulated, $"Stamen simulate: {algorithm.Name} on {result.Scenario}", s.CommandLine);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, ComparisonJson.From(result), report);
            console.Out.Note($"Wrote {s.Json}");
        }
        if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, report);
        return 0;
    }
}
