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
    private sealed record Settings(string Scenario, string Algorithm, int? Runs, int? Seed, bool WithoutFixedDelays, string? Requests, string? Json, string? Report, bool Quiet,
        string CommandLine);

    public static Command Create(CliConsole console)
    {
        var scenario = CommonOptions.RequiredScenario();
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
            scenario, algorithm, runs, seed, noDelays, requests, json, report, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => Execute(console, new Settings(
            p.GetValue(scenario)!, p.GetValue(algorithm)!, p.GetValue(runs), p.GetValue(seed), p.GetValue(noDelays),
            p.GetValue(requests), p.GetValue(json), p.GetValue(report), p.GetValue(quiet), CommandText.Of(p)))));
        return command;
    }

    private static int Execute(CliConsole console, Settings s)
    {
        var definition = BuiltinScenarios.Load(s.Scenario);
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
