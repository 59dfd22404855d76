using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>`stamen throughput SCENARIO`: each algorithm's plan of a swarm scenario served by batching servers (issue 16).</summary>
internal static class ThroughputCommand
{
    private sealed record Settings(string Scenario, string? Algorithm, int Run, int? Seed, int Users, double WarmupS, double DurationS, bool LayerByLayer, string? Json, bool Quiet);

    public static Command Create(CliConsole console)
    {
        var scenario = CommonOptions.RequiredScenario();
        var algorithm = new Option<string?>("--algorithm", "-a") { Description = "One algorithm (default: every algorithm of the scenario)", HelpName = "NAME" };
        var run = new Option<int>("--run") { Description = "Which Monte Carlo run's swarm to plan", DefaultValueFactory = _ => 0, HelpName = "K" };
        var seed = CommonOptions.Seed();
        var users = new Option<int>("--users") { Description = "Closed-loop users, each sending its next request when its last one ends", DefaultValueFactory = _ => 64, HelpName = "N" };
        var warmup = new Option<double>("--warmup-s") { Description = "Simulated seconds before measuring", DefaultValueFactory = _ => 60, HelpName = "S" };
        var duration = new Option<double>("--duration-s") { Description = "Measured simulated seconds", DefaultValueFactory = _ => 600, HelpName = "S" };
        var layerByLayer = new Option<bool>("--layer-by-layer") { Description = "Run batches one layer at a time, as Helix's simulator does" };
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("throughput",
            "Serve each algorithm's plan of a swarm scenario with batching servers (the batching twin, docs/helix.md): decode tokens/s of a closed loop of users, " +
            "beside the plan's static max flow")
        {
            scenario, algorithm, run, seed, users, warmup, duration, layerByLayer, json, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => Execute(console, new Settings(p.GetValue(scenario)!, p.GetValue(algorithm), p.GetValue(run), p.GetValue(seed),
            p.GetValue(users), p.GetValue(warmup), p.GetValue(duration), p.GetValue(layerByLayer), p.GetValue(json), p.GetValue(quiet)))));
        return command;
    }

    private static int Execute(CliConsole console, Settings s)
    {
        if (s.Run < 0) throw new StamenInputException("--run", s.Run.ToString(CultureInfo.InvariantCulture), "is negative", "give a run index from 0");
        Stamen.Simulation.Cluster.ClusterWorkload.RequireUsers(s.Users, "(command line)", "--users");
        Stamen.Simulation.Cluster.ClusterRunOptions.RequireWindow(s.WarmupS, s.DurationS, "(command line)", "--warmup-s/--duration-s");
        var definition = BuiltinScenarios.Load(s.Scenario);
        var resolver = ScenarioResolver.Create(definition);
        var algorithms = s.Algorithm is null ? resolver.Algorithms : [resolver.FindAlgorithm(s.Algorithm)];
        var settings = new SwarmThroughputSettings(s.Users, s.WarmupS, s.DurationS, s.LayerByLayer);
        var rows = ProgressView.Run(console.Out, $"Serving {algorithms.Count} plans with batching servers", s.Quiet,
            progress => SwarmThroughput.Run(resolver, algorithms, s.Run, s.Seed, settings, progress));
        var table = new Table().Border(TableBorder.Rounded).Title($"{Markup.Escape(definition.Name)}: {s.Users} users, closed loop, {s.DurationS:0.#} s measured")
            .AddColumns("algorithm", "static max flow tok/s", "decode tok/s", "prompt tok/s", "decode iteration ms", "prompt latency s", "finished", "KV overflows");
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Algorithm), ConsoleOut.F(r.StaticMaxFlowTokensPerSec, "N1"), ConsoleOut.F(r.DecodeTokensPerSec, "N1"), ConsoleOut.F(r.PromptTokensPerSec, "N1"),
                ConsoleOut.F(r.MeanDecodeLatencyMs, "N0"), ConsoleOut.F(r.MeanPromptLatencyMs / 1000, "0.00"), r.RequestsFinished.ToString(CultureInfo.InvariantCulture),
                r.KvOverflows.ToString(CultureInfo.InvariantCulture));
        console.Out.Write(table);
        console.Out.Note("Servers batch by a roofline of their block times (docs/helix.md); the swarm twin (`stamen compare`) does not batch.");
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new ThroughputJson(definition.Name, s.Run, s.Seed, s.Users, s.WarmupS, s.DurationS, s.LayerByLayer, rows));
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }
}

/// <summary>The JSON shape of `stamen throughput --json`.</summary>
internal sealed record ThroughputJson(string Scenario, int Run, int? Seed, int Users, double WarmupS, double DurationS, bool LayerByLayer,
    IReadOnlyList<Stamen.Experiments.SwarmThroughputRow> Rows);
