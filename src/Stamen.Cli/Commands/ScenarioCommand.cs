using System.CommandLine;
using Spectre.Console;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>`stamen scenario validate|default`.</summary>
internal static class ScenarioCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("scenario", "Check scenario files, or print the built-in default to start from");
        command.Subcommands.Add(Validate(console));
        command.Subcommands.Add(Default(console));
        return command;
    }

    private static Command Validate(CliConsole console)
    {
        var scenario = CommonOptions.RequiredScenario();
        var json = CommonOptions.Json();
        var command = new Command("validate", "Check a scenario: fields, names, files, and that every algorithm can plan its first run") { scenario, json };
        command.SetAction(p => CliRunner.Run(console, () =>
        {
            var definition = BuiltinScenarios.Load(p.GetValue(scenario));
            var resolver = ScenarioResolver.Create(definition);
            var run = resolver.Resolve(0);
            var experiment = new SwarmExperiment(resolver);
            foreach (var algorithm in resolver.Algorithms)
                SwarmExperiment.Plan(run, algorithm);
            ScenarioSummaryView.Write(console.Out, resolver, definition.Runs, definition.Seed);
            console.Out.MarkupLine($"[green]valid[/]: {Markup.Escape(definition.SourceFile)} ({resolver.Algorithms.Count} algorithms plan run 0)");
            if (p.GetValue(json) is { } path)
                JsonOutput.Write(path, new ScenarioCheckJson(true, definition.SourceFile, definition.Name, resolver.Model.Name, run.Swarm.ServerCount,
                    run.Swarm.ClientCount, run.Requests.Count, [.. resolver.Algorithms.Select(a => a.Name)]));
            return 0;
        }));
        return command;
    }

    private static Command Default(CliConsole console)
    {
        var command = new Command("default", "Print the built-in default scenario (YAML) to copy and edit");
        command.SetAction(_ =>
        {
            console.Plain.Write(BuiltinScenarios.DefaultYaml);
            return 0;
        });
        return command;
    }
}

/// <summary>The JSON shape of `stamen scenario validate --json`.</summary>
internal sealed record ScenarioCheckJson(bool Valid, string File, string Name, string Model, int Servers, int Clients, int Requests, IReadOnlyList<string> Algorithms);
