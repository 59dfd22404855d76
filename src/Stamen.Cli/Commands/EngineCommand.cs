using System.CommandLine;
using Stamen.Cli.Rendering;
using Stamen.IO;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;

namespace Stamen.Cli.Commands;

/// <summary>`stamen engine compare|simulate`: the single-instance serving-engine twin (issue 4).</summary>
internal static class EngineCommand
{
    private sealed record CompareSettings(string? Scenario, int? Seed, string? Json, bool Quiet);

    private sealed record SimulateSettings(string Scenario, string Policy, int? Seed, string? Requests, string? Json, bool Quiet);

    public static Command Create() =>
        new("engine", "Serving-engine twin: GPU engines with iteration-level batching, paged, reserved or distributed KV memory, and multi-LoRA")
        {
            CreateCompare(),
            CreateSimulate(),
        };

    private static Command CreateCompare()
    {
        var scenario = new Argument<string?>("scenario")
        {
            Description = "Engine scenario YAML file (omit for the built-in engine default)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("compare", "Compare the scenario's engine policies on the same arrivals (no argument: the built-in engine default)")
        {
            scenario, seed, json, quiet,
        };
        command.SetAction(p => CliRunner.Run(() => Compare(new CompareSettings(p.GetValue(scenario), p.GetValue(seed), p.GetValue(json), p.GetValue(quiet)))));
        return command;
    }

    private static Command CreateSimulate()
    {
        var scenario = new Argument<string>("scenario") { Description = "Engine scenario YAML file (`default` for the built-in one)" };
        var policy = new Option<string>("--policy", "-p")
        {
            Description = $"Policy name: {string.Join(", ", EnginePolicyCatalog.Names)} (or orca)",
            Required = true,
            HelpName = "NAME",
        };
        var seed = CommonOptions.Seed();
        var requests = new Option<string?>("--requests")
        {
            Description = "Write one CSV row per request (id, adapter, instance, arrival, first token, finish, prompt and output tokens, preemptions, outcome)",
            HelpName = "PATH",
        };
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("simulate", "Run one engine policy of a scenario, with per-request output")
        {
            scenario, policy, seed, requests, json, quiet,
        };
        command.SetAction(p => CliRunner.Run(() => Simulate(new SimulateSettings(
            p.GetValue(scenario)!, p.GetValue(policy)!, p.GetValue(seed), p.GetValue(requests), p.GetValue(json), p.GetValue(quiet)))));
        return command;
    }

    private static int Compare(CompareSettings s)
    {
        var scenario = EngineScenarioParser.Load(s.Scenario);
        var seed = s.Seed ?? scenario.Seed;
        EngineComparisonView.WriteSummary(scenario, seed);
        var results = ProgressView.Run($"Simulating {scenario.Policies.Count} policies", s.Quiet,
            progress => EngineComparison.Run(scenario, seed, progress: progress));
        EngineComparisonView.Write(scenario, results);
        WriteJson(s.Json, scenario, seed, results);
        return 0;
    }

    private static int Simulate(SimulateSettings s)
    {
        var scenario = EngineScenarioParser.Load(s.Scenario);
        var policy = EnginePolicyCatalog.Find(s.Policy);
        var seed = s.Seed ?? scenario.Seed;
        EngineComparisonView.WriteSummary(scenario, seed);
        var results = ProgressView.Run($"Simulating {policy.Name}", s.Quiet,
            progress => EngineComparison.Run(scenario, seed, [policy], progress));
        EngineComparisonView.Write(scenario, results);
        if (s.Requests is not null)
        {
            AtomicFile.Write(s.Requests, w => EngineRequestCsv.Write(w, results[0].Requests));
            ConsoleOut.Note($"Wrote {s.Requests} ({results[0].Requests.Count} requests)");
        }
        WriteJson(s.Json, scenario, seed, results);
        return 0;
    }

    private static void WriteJson(string? path, EngineScenario scenario, int seed, IReadOnlyList<EngineRunResult> results)
    {
        if (path is null) return;
        JsonOutput.Write(path, EngineComparisonJson.From(scenario, seed, results));
        ConsoleOut.Note($"Wrote {path}");
    }
}
