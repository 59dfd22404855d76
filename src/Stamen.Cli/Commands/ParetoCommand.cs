using System.CommandLine;
using System.Globalization;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.Reporting.Swarm;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>`stamen pareto [SCENARIO]`: the NSGA-II latency / free-capacity front of one client's request.</summary>
internal static class ParetoCommand
{
    private const string FallbackAlgorithm = "cg-bp+ws-rr";

    private sealed record Settings(string? Scenario, string? Algorithm, string? Client, int Run, double Weight, int? Seed, string? Json, string? Report, string CommandLine);

    public static Command Create(CliConsole console)
    {
        var scenario = CommonOptions.OptionalScenario();
        var algorithm = new Option<string?>("--algorithm", "-a")
        {
            Description = $"Algorithm whose placement to search (default: the scenario's first on cg-bp placement, else {FallbackAlgorithm})",
            HelpName = "NAME",
        };
        var client = new Option<string?>("--client") { Description = "Client name (default: the scenario's first client)", HelpName = "NAME" };
        var run = new Option<int>("--run") { Description = "Which Monte Carlo run's swarm to plan", DefaultValueFactory = _ => 0, HelpName = "K" };
        var weight = new Option<double>("--weight")
        {
            Description = "Latency weight w in [0, 1] for the weighted choice (minimises w * latency + (1 - w) * load, normalised)",
            DefaultValueFactory = _ => 0.5,
            HelpName = "W",
        };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var report = CommonOptions.Report();
        var command = new Command("pareto", "Print the NSGA-II Pareto front (per-token latency vs bottleneck free sessions) of a client's typical request, with the knee point and a weighted choice")
        {
            scenario, algorithm, client, run, weight, seed, json, report,
        };
        command.SetAction(p => CliRunner.Run(console, () => Execute(console, new Settings(
            p.GetValue(scenario), p.GetValue(algorithm), p.GetValue(client), p.GetValue(run), p.GetValue(weight), p.GetValue(seed), p.GetValue(json),
            p.GetValue(report), CommandText.Of(p)))));
        return command;
    }

    private static int Execute(CliConsole console, Settings s)
    {
        if (s.Run < 0) throw new StamenInputException("(command line)", "--run", "is negative", "give a run index from 0");
        if (!(s.Weight >= 0 && s.Weight <= 1))
            throw new StamenInputException("(command line)", "--weight", $"{s.Weight.ToString(CultureInfo.InvariantCulture)} is outside [0, 1]", "give a latency weight between 0 and 1");
        var definition = BuiltinScenarios.Load(s.Scenario);
        var resolver = ScenarioResolver.Create(definition);
        var algorithm = s.Algorithm is not null
            ? resolver.FindAlgorithm(s.Algorithm)
            : resolver.Algorithms.FirstOrDefault(a => a.Parts.Placement.Name == "cg-bp") ?? resolver.FindAlgorithm(FallbackAlgorithm);
        var run = resolver.Resolve(s.Run, s.Seed);
        var clients = run.Swarm.Clients;
        var clientIndex = s.Client is null ? 0 : clients.ToList().FindIndex(c => string.Equals(c.Name, s.Client, StringComparison.OrdinalIgnoreCase));
        if (clientIndex < 0)
            throw new StamenInputException("(command line)", "--client", $"unknown client '{s.Client}'", $"use one of: {string.Join(", ", clients.Select(c => c.Name))}");
        var planned = SwarmExperiment.Plan(run, algorithm);
        var pareto = ParetoReport.From(planned, clientIndex, s.Weight);
        ParetoView.Write(console.Out, pareto);
        if (s.Report is null && s.Json is null) return 0;
        var report = ParetoReportBuilder.Build(resolver, planned, pareto, s.Seed ?? definition.Seed, s.CommandLine);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, pareto, report);
            console.Out.Note($"Wrote {s.Json}");
        }
        if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, report);
        return 0;
    }
}
