using System.CommandLine;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.Reporting.Swarm;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>`stamen plan SCENARIO -a NAME`: the placement and the routes of one algorithm for one run.</summary>
internal static class PlanCommand
{
    private sealed record Settings(string Scenario, string Algorithm, int Run, int? Seed, bool WithoutFixedDelays, string? Json, string? Report, string CommandLine);

    public static Command Create(CliConsole console)
    {
        var scenario = CommonOptions.RequiredScenario();
        var algorithm = CommonOptions.Algorithm();
        var run = new Option<int>("--run") { Description = "Which Monte Carlo run's swarm to plan (server nodes and join order depend on it)", DefaultValueFactory = _ => 0, HelpName = "K" };
        var seed = CommonOptions.Seed();
        var noDelays = CommonOptions.WithoutFixedDelays();
        var json = CommonOptions.Json();
        var report = CommonOptions.Report();
        var command = new Command("plan", "Print an algorithm's placement (block range and session capacity per server) and each client's route")
        {
            scenario, algorithm, run, seed, noDelays, json, report,
        };
        command.SetAction(p => CliRunner.Run(console, () => Execute(console, new Settings(
            p.GetValue(scenario)!, p.GetValue(algorithm)!, p.GetValue(run), p.GetValue(seed), p.GetValue(noDelays), p.GetValue(json),
            p.GetValue(report), CommandText.Of(p)))));
        return command;
    }

    private static int Execute(CliConsole console, Settings s)
    {
        var definition = BuiltinScenarios.Load(s.Scenario);
        var resolver = ScenarioResolver.Create(definition, s.WithoutFixedDelays);
        var algorithm = resolver.FindAlgorithm(s.Algorithm);
        if (s.Run < 0) throw new StamenInputException("(command line)", "--run", "is negative", "give a run index from 0");
        var planned = SwarmExperiment.Plan(resolver.Resolve(s.Run, s.Seed), algorithm);
        var plan = PlanReport.From(planned);
        PlanView.Write(console.Out, plan);
        if (s.Report is null && s.Json is null) return 0;
        var report = PlanReportBuilder.Build(resolver, planned, plan, s.Seed ?? definition.Seed, s.CommandLine);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, plan, report);
            console.Out.Note($"Wrote {s.Json}");
        }
        if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, report);
        return 0;
    }
}
