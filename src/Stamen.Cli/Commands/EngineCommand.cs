using System.CommandLine;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.IO;
using Stamen.Reporting.Engine;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;

namespace Stamen.Cli.Commands;

/// <summary>`stamen engine compare|simulate`: the single-instance serving-engine twin (issue 4).</summary>
internal static class EngineCommand
{
    private sealed record CompareSettings(IReadOnlyList<string>? Scenarios, string? OutDir, int? Seed, string? Json, string? Report, bool Quiet, string CommandLine);

    private sealed record SimulateSettings(IReadOnlyList<string> Scenarios, string? OutDir, string Policy, int? Seed, string? Requests, string? Json, string? Report, bool Quiet,
        string CommandLine);

    public static Command Create(CliConsole console) =>
        new("engine", "Serving-engine twin: GPU engines with iteration-level batching, paged, reserved or distributed KV memory, and multi-LoRA")
        {
            CreateCompare(console),
            CreateSimulate(console),
            CreateSweep(console),
        };

    private sealed record SweepSettings(string? Scenario, string Factors, double? TtftP99S, double? ItlMeanS, double? E2eP99S, int? Seed,
        string? Json, string? Markdown, string? Report, bool Quiet, string CommandLine);

    private static Command CreateSweep(CliConsole console)
    {
        var scenario = new Argument<string?>("scenario")
        {
            Description = "Engine scenario YAML file (omit for the built-in engine default)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var factors = new Option<string>("--factors")
        {
            Description = "Rate multipliers to run, comma-separated (a trace's arrivals compressed, a Poisson rate raised)",
            DefaultValueFactory = _ => "1,2,3,4",
            HelpName = "LIST",
        };
        var ttft = new Option<double?>("--slo-ttft-p99-s") { Description = "SLO bound on p99 time to first token, seconds (default 5; 0 = no bound)", HelpName = "S" };
        var itl = new Option<double?>("--slo-itl-mean-s") { Description = "SLO bound on mean inter-token latency, seconds (default 0.1; 0 = no bound)", HelpName = "S" };
        var e2e = new Option<double?>("--slo-e2e-p99-s") { Description = "SLO bound on p99 end-to-end latency, seconds (default none)", HelpName = "S" };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var markdown = new Option<string?>("--markdown") { Description = "Also write the tables as Markdown (for docs/)", HelpName = "PATH" };
        var report = CommonOptions.Report();
        var quiet = CommonOptions.Quiet();
        var command = new Command("sweep",
            "Throughput at equal latency: every policy at rising request rates, and the highest rate each sustains within the SLO")
        {
            scenario, factors, ttft, itl, e2e, seed, json, markdown, report, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => Sweep(console, new SweepSettings(p.GetValue(scenario), p.GetValue(factors)!, p.GetValue(ttft), p.GetValue(itl),
            p.GetValue(e2e), p.GetValue(seed), p.GetValue(json), p.GetValue(markdown), p.GetValue(report), p.GetValue(quiet), CommandText.Of(p)))));
        return command;
    }

    private static int Sweep(CliConsole console, SweepSettings s)
    {
        var factors = ListArguments.Doubles("--factors", s.Factors, 0, exclusiveMin: true, "a positive number", "give rate multipliers such as 1,2,3,4");
        static double? Bound(double? given, double? fallback) => given is null ? fallback : given > 0 ? given : null;
        var slo = new EngineSlo(Bound(s.TtftP99S, 5.0), Bound(s.ItlMeanS, 0.1), Bound(s.E2eP99S, null));
        var scenario = EngineScenarioParser.Load(s.Scenario);
        var seed = s.Seed ?? scenario.Seed;
        EngineComparisonView.WriteSummary(console.Out, scenario, seed);
        console.Out.Note($"SLO: {slo.Describe()}");
        var rows = ProgressView.Run(console.Out, $"Sweeping {factors.Length} rates x {scenario.Policies.Count} policies", s.Quiet,
            progress => EngineRateSweep.Run(scenario, factors, slo, seed, progress));
        console.Out.Write(EngineSweepView.Table(rows));
        if (s.Markdown is not null)
        {
            AtomicFile.WriteAllText(s.Markdown, EngineSweepView.Markdown(rows, slo));
            console.Out.Note($"Wrote {s.Markdown}");
        }
        var report = s.Report is null && s.Json is null ? null
            : EngineReportBuilder.Sweep(scenario, seed, rows, slo, s.CommandLine);
        if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, report!);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new EngineSweepJson(scenario.Name, seed, new EngineSloJson(slo.P99TtftS, slo.MeanItlS, slo.P99EndToEndS),
                [.. rows.Select(r => new EngineSweepPolicyJson(r.Policy, r.Capacity?.RateFactor, r.Capacity?.Metrics.TotalTokensPerSec,
                    [.. r.Points.Select(p => new EngineSweepPointJson(p.RateFactor, p.OfferedRequestsPerSec, p.MeetsSlo, EngineMetricsJson.From(p.Metrics)))]))],
                report));
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private static Command CreateCompare(CliConsole console)
    {
        var scenario = ScenarioBatch.Arguments("Engine scenario YAML file (omit for the built-in engine default)", required: false);
        var outDir = ScenarioBatch.OutDir();
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var report = CommonOptions.Report();
        var quiet = CommonOptions.Quiet();
        var command = new Command("compare", "Compare the scenario's engine policies on the same arrivals (no argument: the built-in engine default)")
        {
            scenario, seed, json, report, outDir, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => Compare(console, new CompareSettings(p.GetValue(scenario), p.GetValue(outDir), p.GetValue(seed), p.GetValue(json),
            p.GetValue(report), p.GetValue(quiet), CommandText.Of(p)))));
        return command;
    }

    private static Command CreateSimulate(CliConsole console)
    {
        var scenario = ScenarioBatch.Arguments("Engine scenario YAML file (`default` for the built-in one)", required: true);
        var outDir = ScenarioBatch.OutDir();
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
        var report = CommonOptions.Report();
        var quiet = CommonOptions.Quiet();
        var command = new Command("simulate", "Run one engine policy of a scenario, with per-request output")
        {
            scenario, policy, seed, requests, json, report, outDir, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => Simulate(console, new SimulateSettings(
            p.GetValue(scenario)!, p.GetValue(outDir), p.GetValue(policy)!, p.GetValue(seed), p.GetValue(requests), p.GetValue(json), p.GetValue(report), p.GetValue(quiet),
            CommandText.Of(p)))));
        return command;
    }

    private static int Compare(CliConsole console, CompareSettings s)
    {
        var items = ScenarioBatch.Expand(s.Scenarios, n => n == EngineScenarioParser.DefaultName, none: EngineScenarioParser.DefaultName);
        ScenarioBatch.RequireBatchOptions(items, s.OutDir, ("--json", s.Json), ("--report", s.Report));
        return ScenarioBatch.Run(console, items, s.OutDir, item => EngineScenarioParser.Load(item.Scenario),
            (scenario, json) => Compare(console, json is null ? s : s with { Json = json }, scenario));
    }

    private static int Compare(CliConsole console, CompareSettings s, EngineScenario scenario)
    {
        var seed = s.Seed ?? scenario.Seed;
        EngineComparisonView.WriteSummary(console.Out, scenario, seed);
        var results = ProgressView.Run(console.Out, $"Simulating {scenario.Policies.Count} policies", s.Quiet,
            progress => EngineComparison.Run(scenario, seed, progress: progress));
        EngineComparisonView.Write(console.Out, scenario, results);
        WriteOutputs(console, s.Json, s.Report, scenario, seed, results, s.Quiet, s.CommandLine);
        return 0;
    }

    private static int Simulate(CliConsole console, SimulateSettings s)
    {
        var items = ScenarioBatch.Expand(s.Scenarios, n => n == EngineScenarioParser.DefaultName, none: null);
        ScenarioBatch.RequireBatchOptions(items, s.OutDir, ("--json", s.Json), ("--report", s.Report), ("--requests", s.Requests));
        return ScenarioBatch.Run(console, items, s.OutDir, item => EngineScenarioParser.Load(item.Scenario),
            (scenario, json) => Simulate(console, json is null ? s : s with { Json = json }, scenario));
    }

    private static int Simulate(CliConsole console, SimulateSettings s, EngineScenario scenario)
    {
        var policy = EnginePolicyCatalog.Find(s.Policy);
        var seed = s.Seed ?? scenario.Seed;
        EngineComparisonView.WriteSummary(console.Out, scenario, seed);
        var results = ProgressView.Run(console.Out, $"Simulating {policy.Name}", s.Quiet,
            progress => EngineComparison.Run(scenario, seed, [policy], progress));
        EngineComparisonView.Write(console.Out, scenario, results);
        if (s.Requests is not null)
        {
            AtomicFile.Write(s.Requests, w => EngineRequestCsv.Write(w, results[0].Requests));
            console.Out.Note($"Wrote {s.Requests} ({results[0].Requests.Count} requests)");
        }
        WriteOutputs(console, s.Json, s.Report, scenario with { Policies = [policy] }, seed, results, s.Quiet, s.CommandLine);
        return 0;
    }

    /// <summary>
    /// The report (when --report or --json asks for it: it runs a small rate sweep, since compare and simulate run one
    /// rate only), then the HTML and the JSON, which carries the report.
    /// </summary>
    private static void WriteOutputs(CliConsole console, string? json, string? reportPath, EngineScenario scenario, int seed, IReadOnlyList<EngineRunResult> results, bool quiet,
        string command)
    {
        if (json is null && reportPath is null) return;
        var slo = new EngineSlo();
        var factors = EngineReportBuilder.RateFactors;
        var sweep = ProgressView.Run(console.Out, $"Report: sweeping {factors.Count} rates x {scenario.Policies.Count} policies", quiet,
            progress => EngineRateSweep.Run(scenario, factors, slo, seed, progress));
        var report = EngineReportBuilder.Comparison(scenario, seed, results, sweep, slo, command);
        if (reportPath is not null) ReportOutput.Write(console.Out, reportPath, report);
        if (json is null) return;
        JsonOutput.Write(json, EngineComparisonJson.From(scenario, seed, results) with { Report = report });
        console.Out.Note($"Wrote {json}");
    }
}

/// <summary>The JSON shape of `stamen engine sweep --json`.</summary>
internal sealed record EngineSweepJson(string Scenario, int Seed, EngineSloJson Slo, IReadOnlyList<EngineSweepPolicyJson> Results, Stamen.Reporting.Report? Report);

internal sealed record EngineSloJson(double? P99TtftS, double? MeanItlS, [property: System.Text.Json.Serialization.JsonPropertyName("p99_e2e_s")] double? P99E2eS);

internal sealed record EngineSweepPolicyJson(string Policy, double? CapacityRateFactor, double? CapacityTokensPerS, IReadOnlyList<EngineSweepPointJson> Points);

internal sealed record EngineSweepPointJson(double RateFactor, double OfferedRequestsPerS, bool MeetsSlo, EngineMetricsJson Metrics);
