using System.CommandLine;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.Reporting.Split;
using Stamen.Scenarios.Split;

namespace Stamen.Cli.Commands;

/// <summary>`stamen split plan|simulate`: layers on the client or the server per request type (issue 6).</summary>
internal static class SplitCommand
{
    private sealed record Settings(string? Scenario, double RateScale, string? Json, string? Report, bool Quiet, string CommandLine);

    public static Command Create(CliConsole console) =>
        new("split", "Split inference between client devices and a server: SplitLLM's dynamic program, baselines and a server twin")
        {
            Create(console, "plan", "Per request type: the layers each side runs, latency and server work, by the dynamic program, greedy, single cut and server only", simulate: false),
            Create(console, "simulate", "Run one server receiving the scenario's request mix under each method's placements: utilisation, throughput, waiting, SLA", simulate: true),
        };

    private static Command Create(CliConsole console, string name, string description, bool simulate)
    {
        var scenario = new Argument<string?>("scenario")
        {
            Description = "Split scenario YAML (omit for the built-in default: Llama-3.1-8B on an A100, phones and laptops)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var rateScale = new Option<double>("--rate-scale") { Description = "Multiply every request type's rate", DefaultValueFactory = _ => 1.0, HelpName = "X" };
        var json = CommonOptions.Json();
        var report = CommonOptions.Report();
        var quiet = CommonOptions.Quiet();
        var command = new Command(name, description) { scenario, json, report, quiet };
        if (simulate) command.Options.Add(rateScale);
        command.SetAction(p => CliRunner.Run(console, () =>
        {
            var scale = simulate ? p.GetValue(rateScale) : double.NaN;
            if (simulate && !(scale > 0 && scale <= MaxRateScale))
                throw new StamenInputException("--rate-scale", scale.ToString(System.Globalization.CultureInfo.InvariantCulture), $"must be above 0 and at most {MaxRateScale}", "give e.g. 1.5");
            return Run(console, new Settings(p.GetValue(scenario), scale, p.GetValue(json), p.GetValue(report), p.GetValue(quiet), CommandText.Of(p)));
        }));
        return command;
    }

    private const double MaxRateScale = 1e6;

    private static int Run(CliConsole console, Settings s)
    {
        var simulate = !double.IsNaN(s.RateScale);
        var scenario = SplitScenarioParser.Load(s.Scenario);
        if (simulate)
        {
            var rate = scenario.RequestTypes.Sum(t => t.RatePerSec) * s.RateScale;
            if (Stamen.Workload.RequestBudget.Problem(rate * scenario.DurationSec, $"the scaled rates ({rate:0.###} requests/s for {scenario.DurationSec} s)") is { } problem)
                throw new StamenInputException("--rate-scale", s.RateScale.ToString(System.Globalization.CultureInfo.InvariantCulture), problem,
                    "give a smaller scale, or shorten the scenario's duration_s");
        }
        SplitView.WriteSummary(console.Out, scenario);
        var plans = SplitStudy.Plan(scenario);
        console.Out.Write(SplitView.Plans(plans));
        foreach (var p in plans.Where(p => p.Plans.Any(m => m.Plan is null)))
            console.Out.Note(FormattableString.Invariant(
                $"{p.Type.Name}: no placement meets the {p.Type.SlaMs:0} ms SLA; the fastest ({p.Fastest.Describe()}) takes {p.Fastest.LatencyMs:0.0} ms."));
        console.Out.Note("Latency is exact (the program rounds each cost up to its step, so what it accepts meets the SLA); red: SLA missed.");
        if (!simulate)
        {
            if (s.Report is null && s.Json is null) return 0;
            var planReport = SplitReportBuilder.Plan(scenario, plans, s.CommandLine);
            if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, planReport);
            WriteJson(console, s.Json, SplitView.PlanJson(scenario, plans, planReport));
            return 0;
        }
        var metrics = ProgressView.Run(console.Out, "Simulating the server", s.Quiet, progress => SplitStudy.Simulate(scenario, plans, s.RateScale, progress));
        console.Out.Write(SplitView.Server(metrics));
        console.Out.Note(FormattableString.Invariant(
            $"{scenario.DurationSec:0} s of Poisson arrivals x {s.RateScale:0.##}; capacity = GPUs / mean server work per request; latency includes queueing for the server."));
        if (s.Report is null && s.Json is null) return 0;
        var report = SplitReportBuilder.Simulate(scenario, plans, s.RateScale, metrics, s.CommandLine);
        if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, report);
        WriteJson(console, s.Json, new SplitSimulationJson(SplitView.PlanJson(scenario, plans), s.RateScale, metrics, report, SplitView.Timings(plans)));
        return 0;
    }

    private static void WriteJson<T>(CliConsole console, string? path, T value)
    {
        if (path is null) return;
        JsonOutput.Write(path, value);
        console.Out.Note($"Wrote {path}");
    }
}

/// <summary>The JSON shape of `stamen split simulate --json`.</summary>
internal sealed record SplitSimulationJson(SplitPlanJson Plan, double RateScale, IReadOnlyList<Stamen.Split.SplitServerMetrics> Server,
    Stamen.Reporting.Report? Report, SplitTimings Timings);
