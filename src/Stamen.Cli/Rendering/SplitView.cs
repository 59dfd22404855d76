using System.Globalization;
using System.Text.Json.Serialization;
using Spectre.Console;
using Stamen.Experiments;
using Stamen.Reporting;
using Stamen.Scenarios.Split;
using Stamen.Split;

namespace Stamen.Cli.Rendering;

/// <summary>Split inference: placements per request type and method, and the server twin per method.</summary>
internal static class SplitView
{
    public static void WriteSummary(IAnsiConsole console, SplitScenario s) =>
        console.Heading(FormattableString.Invariant(
            $"{s.Name}: {s.ModelName} served from {s.ServerGpus} x {s.ServerGpuName}; {s.RequestTypes.Count} request types; latency step {(s.LatencyStepMs is { } ms ? $"{ms:0.###} ms" : "1/1000 of each SLA")}"));

    public static Table Plans(IReadOnlyList<SplitTypeResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("placements per request type (C = client layers, S = server layers)");
        foreach (var h in (string[])["request type", "method", "layers", "latency ms", "SLA ms", "server work ms", "vs server-only", "switches"])
            table.AddColumn(new TableColumn(h).NoWrap());
        foreach (var r in results)
        {
            var serverOnly = r.ServerOnly.ServerWorkMs;
            foreach (var (method, first) in r.Plans.Select((p, i) => (p.Method, i == 0)))
            {
                var plan = r.For(method);
                var label = r.Label(method);
                table.AddRow(
                    first ? Markup.Escape($"{r.Type.Name} ({r.Type.Device.Name}, {r.Type.SequenceTokens} tokens)") : "",
                    Markup.Escape(label),
                    Markup.Escape(plan.Describe()),
                    (plan.MeetsSla ? "" : "[red]") + F(plan.LatencyMs, "0.0") + (plan.MeetsSla ? "" : "[/]"),
                    F(r.Type.SlaMs, "0"),
                    F(plan.ServerWorkMs, "0.00"),
                    serverOnly > 0 ? F(100 * (plan.ServerWorkMs - serverOnly) / serverOnly, "+0;-0;0") + "%" : "-",
                    plan.Switches.ToString(CultureInfo.InvariantCulture));
            }
        }
        return table;
    }

    public static Table Server(IReadOnlyList<SplitServerMetrics> metrics)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("server twin: the same arrivals under each method's placements");
        foreach (var h in (string[])["method", "server work ms/req", "capacity req/s", "served req/s", "utilisation", "mean wait ms", "p95 wait ms", "p95 latency ms", "SLA missed"])
            table.AddColumn(new TableColumn(h).RightAligned().NoWrap());
        foreach (var m in metrics)
            table.AddRow(Markup.Escape(m.Method), F(m.MeanServerWorkMs, "0.00"), F(m.CapacityPerSec, "0.0"), F(m.ThroughputPerSec, "0.0"),
                F(100 * m.Utilisation, "0.0") + "%", F(m.MeanWaitMs, "0"), F(m.P95WaitMs, "0"), F(m.P95LatencyMs, "0"), F(100 * m.SlaViolationFraction, "0.0") + "%");
        return table;
    }

    /// <summary>The plans as JSON; <paramref name="report"/> and the timings are added when this is the whole output (`split plan`).</summary>
    public static SplitPlanJson PlanJson(SplitScenario s, IReadOnlyList<SplitTypeResult> results, Report? report = null) =>
        new(s.Name, s.ModelName, s.ServerGpuName, s.LatencyStepMs, [.. s.Methods.Select(m => m.ToString())],
            [.. results.Select(r => new SplitRequestTypeJson(r.Type.Name, r.Type.Device.Name, r.Type.SequenceTokens, r.Type.SlaMs, r.Type.Problem.MaxClientLayers,
                r.Plans.All(p => p.Plan is not null), [.. r.Plans.Select(p => Plan(p.Method, r.For(p.Method))).Append(Plan(SplitPlannerCatalog.Fastest, r.Fastest))]))],
            report, report is null ? null : Timings(results));

    /// <summary>Wall-clock planning times, for the `timings` block at the top of the JSON.</summary>
    public static SplitTimings Timings(IReadOnlyList<SplitTypeResult> results) => new(results.ToDictionary(r => r.Type.Name, r => r.PlanMs));

    private static SplitMethodPlanJson Plan(string method, SplitPlan p) =>
        new(method, p.Describe(), p.OnClient, p.LatencyMs, p.ServerWorkMs, p.ClientLayers, p.Switches, p.MeetsSla);

    private static string F(double v, string format) => ConsoleOut.F(v, format);
}

/// <summary>`split plan --json`: the scenario and every request type's plans; the report only at the top level (not where simulate nests the plans).</summary>
internal sealed record SplitPlanJson(string Scenario, string Model, string ServerGpu, double? LatencyStepMs, IReadOnlyList<string> Methods,
    IReadOnlyList<SplitRequestTypeJson> RequestTypes, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Report? Report,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SplitTimings? Timings);

/// <summary>Wall-clock planning time per request type and method, apart from the results (which are the same bytes run to run).</summary>
internal sealed record SplitTimings(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> PlanMs);

/// <summary>One request type and each method's plan of it.</summary>
internal sealed record SplitRequestTypeJson(string Name, string Device, int SequenceTokens, double SlaMs, int MaxClientLayers, bool Feasible,
    IReadOnlyList<SplitMethodPlanJson> Plans);

internal sealed record SplitMethodPlanJson(string Method, string Layers, IReadOnlyList<bool> OnClient, double LatencyMs, double ServerWorkMs, int ClientLayers,
    int Switches, bool MeetsSla);
