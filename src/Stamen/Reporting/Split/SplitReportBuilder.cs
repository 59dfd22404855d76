using Stamen.Experiments;
using Stamen.Scenarios.Split;
using Stamen.Split;
using static Stamen.Reporting.ReportNumber;

namespace Stamen.Reporting.Split;

/// <summary>
/// Split inference as a <see cref="Report"/>: per method, the layers each request type runs on the client and on the
/// server, the server work that leaves, and (for simulate) what one server carries under each method's placements.
/// Pure: same results, same report.
/// </summary>
public static class SplitReportBuilder
{
    public static Report Plan(SplitScenario scenario, IReadOnlyList<SplitTypeResult> plans, string command)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(plans);
        return new Report("split", $"Split inference: {scenario.Name}", command, Summary(scenario, null), PlanSections(plans));
    }

    /// <summary>The plans, then the server twin under each method's placements at <paramref name="rateScale"/> times the rates.</summary>
    public static Report Simulate(SplitScenario scenario, IReadOnlyList<SplitTypeResult> plans, double rateScale, IReadOnlyList<SplitServerMetrics> server,
        string command)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(server);
        var sections = PlanSections(plans);
        sections.Add(new ReportSection("Server twin",
            $"{F(scenario.DurationSec, "0")} s of Poisson arrivals x {F(rateScale, "0.##")}, the same for every method; capacity = GPUs / mean server work per request; " +
            "latency includes queueing for the server.",
            [ServerTable(server)], [CapacityChart(server, plans, rateScale), LatencyChart(server)]));
        return new Report("split", $"Split inference: {scenario.Name} (server twin)", command, Summary(scenario, rateScale), sections);
    }

    private static List<ReportFact> Summary(SplitScenario s, double? rateScale)
    {
        var facts = new List<ReportFact>
        {
            new("Scenario", s.Name),
            new("Model", s.ModelName),
            new("Server", $"{I(s.ServerGpus)} x {s.ServerGpuName}"),
            new("Request types", string.Join("; ", s.RequestTypes.Select(t =>
                $"{t.Name}: {t.Device.Name}, {I(t.SequenceTokens)} tokens, SLA {F(t.SlaMs, "0")} ms, {F(t.RatePerSec, "0.###")} req/s"))),
            new("Latency step", s.LatencyStepMs is { } ms ? F(ms, "0.###") + " ms" : "1/1000 of each SLA"),
            new("Seed", I(s.Seed)),
        };
        if (rateScale is { } r) facts.Add(new ReportFact("Server twin", $"{F(s.DurationSec, "0")} s, rates x {F(r, "0.##")}"));
        return facts;
    }

    private static List<ReportSection> PlanSections(IReadOnlyList<SplitTypeResult> plans) =>
    [
        new("Placements per request type",
            "C = client layers, S = server layers (1-based). Latency is exact; the dynamic program rounds each cost up to its step, so what it accepts meets the SLA.",
            [PlanTable(plans)], [.. Methods(plans).Select(m => LayerChart(plans, m))]),
        new("Server work per request", "Server GPU time one request of each type costs under each method's placement.", [], [WorkChart(plans)]),
    ];

    /// <summary>The methods compared, in the scenario's order (every request type has the same).</summary>
    private static IReadOnlyList<string> Methods(IReadOnlyList<SplitTypeResult> plans) =>
        plans.Count == 0 ? [] : [.. plans[0].Plans.Select(p => p.Method)];

    private static ReportTable PlanTable(IReadOnlyList<SplitTypeResult> plans) =>
        new("Placements per request type", ["request type", "method", "layers", "latency ms", "SLA ms", "server work ms", "vs server-only", "switches", "meets SLA"],
            [.. plans.SelectMany(r => r.Plans.Select(p => p.Method).Select(method =>
            {
                var plan = r.For(method);
                var serverOnly = r.ServerOnly.ServerWorkMs;
                return (IReadOnlyList<string>)
                [
                    $"{r.Type.Name} ({r.Type.Device.Name}, {I(r.Type.SequenceTokens)} tokens)",
                    r.Label(method),
                    plan.Describe(), F(plan.LatencyMs, "0.0"), F(r.Type.SlaMs, "0"), F(plan.ServerWorkMs, "0.00"),
                    serverOnly > 0 ? F(100 * (plan.ServerWorkMs - serverOnly) / serverOnly, "+0;-0;0") + "%" : "-",
                    I(plan.Switches), plan.MeetsSla ? "yes" : "no",
                ];
            }))]);

    /// <summary>One method: client and server layers per request type, stacked to the model's layers.</summary>
    private static BarChart LayerChart(IReadOnlyList<SplitTypeResult> plans, string method)
    {
        var chosen = plans.Select(r => r.For(method)).ToArray();
        var client = chosen.Select(p => (double)p.ClientLayers).ToArray();
        var server = chosen.Select(p => (double)(p.OnClient.Count - p.ClientLayers)).ToArray();
        var layers = chosen.Length > 0 ? chosen.Max(p => p.OnClient.Count) : 0;
        string alt;
        if (chosen.Length == 0) alt = "No request types.";
        else if (client.All(c => c == 0)) alt = $"{method} runs all {I(layers)} layers on the server for every request type.";
        else
        {
            var most = plans.Zip(client).MaxBy(x => x.Second);
            var least = plans.Zip(client).MinBy(x => x.Second);
            alt = $"{method} moves {F(client.Sum(), "0")} of {I(layers * chosen.Length)} layers to clients over the {I(chosen.Length)} request types: " +
                $"the most for {most.First.Type.Name} ({F(most.Second, "0")} of {I(layers)}), the fewest for {least.First.Type.Name} ({F(least.Second, "0")}).";
        }
        var missed = plans.Zip(chosen).Where(x => !x.Second.MeetsSla).Select(x => x.First.Type.Name).ToArray();
        if (missed.Length > 0) alt += $" It misses the SLA for {string.Join(", ", missed)}.";
        return new BarChart($"Layers on client and server per request type: {method}", alt, "request type", [.. plans.Select(r => r.Type.Name)],
            new Axis("layers", "layers", Min: 0), [new BarSeries("client layers", client), new BarSeries("server layers", server)], Stacked: true);
    }

    private static BarChart WorkChart(IReadOnlyList<SplitTypeResult> plans)
    {
        var series = Methods(plans).Select(m => new BarSeries(m, [.. plans.Select(r => r.For(m).ServerWorkMs)])).ToArray();
        var savings = Methods(plans).Where(m => m != SplitPlannerCatalog.ServerOnly)
            .Select(m => (Method: m, Saved: plans.Where(r => r.ServerOnly.ServerWorkMs > 0)
                .Select(r => 1 - r.For(m).ServerWorkMs / r.ServerOnly.ServerWorkMs).DefaultIfEmpty(0).Average()))
            .ToArray();
        var best = savings.MaxBy(s => s.Saved);
        var worst = savings.MinBy(s => s.Saved);
        var leaders = savings.Where(s => Percent(s.Saved, "0") == Percent(best.Saved, "0")).Select(s => s.Method).ToArray();
        var alt = best.Saved <= 0
            ? "No method saves server work over running every layer on the server."
            : leaders.Length == savings.Length
                ? $"{Names(leaders)} all cut server work by {Percent(best.Saved, "0")} below server only on average over the request types."
                : $"{Names(leaders)} cut{(leaders.Length == 1 ? "s" : "")} server work the most, {Percent(best.Saved, "0")} below server only on average over the request types; " +
                  $"{worst.Method} the least, {Percent(worst.Saved, "0")}.";
        return new BarChart("Server work per request by method", alt, "request type", [.. plans.Select(r => r.Type.Name)],
            new Axis("server work", "ms per request", Min: 0), series);
    }

    private static ReportTable ServerTable(IReadOnlyList<SplitServerMetrics> server) =>
        new("Server twin: the same arrivals under each method's placements",
            ["method", "server work ms/req", "capacity req/s", "served req/s", "utilisation", "mean wait ms", "p95 wait ms", "p95 latency ms", "SLA missed"],
            [.. server.Select(m => (IReadOnlyList<string>)
            [
                m.Method, F(m.MeanServerWorkMs, "0.00"), F(m.CapacityPerSec, "0.0"), F(m.ThroughputPerSec, "0.0"), Percent(m.Utilisation),
                F(m.MeanWaitMs, "0"), F(m.P95WaitMs, "0"), F(m.P95LatencyMs, "0"), Percent(m.SlaViolationFraction),
            ])]);

    private static BarChart CapacityChart(IReadOnlyList<SplitServerMetrics> server, IReadOnlyList<SplitTypeResult> plans, double rateScale)
    {
        var offered = plans.Sum(p => p.Type.RatePerSec) * rateScale;
        var best = server.MaxBy(m => m.CapacityPerSec);
        var baseline = server.FirstOrDefault(m => m.Method == "server-only");
        var alt = best is null ? "No methods."
            : $"{best.Method} lets the server carry the most, {F(best.CapacityPerSec, "0.0")} req/s" +
              (baseline is not null && best != baseline ? $", {Ratio(best.CapacityPerSec, baseline.CapacityPerSec)} server only's {F(baseline.CapacityPerSec, "0.0")} req/s" : "") +
              $"; the mix offers {F(offered, "0.0")} req/s" +
              (server.Where(m => m.CapacityPerSec < offered).Select(m => m.Method).ToArray() is { Length: > 0 } below
                  ? $", more than {string.Join(", ", below)} can carry." : ", within every method's capacity.");
        return new BarChart("Server capacity and throughput by method", alt, "method", [.. server.Select(m => m.Method)], new Axis("requests", "req/s", Min: 0),
            [new BarSeries("capacity", [.. server.Select(m => m.CapacityPerSec)]), new BarSeries("served", [.. server.Select(m => m.ThroughputPerSec)])]);
    }

    private static BarChart LatencyChart(IReadOnlyList<SplitServerMetrics> server)
    {
        var best = server.MinBy(m => m.P95LatencyMs);
        var worst = server.MaxBy(m => m.P95LatencyMs);
        var alt = best is null || worst is null ? "No methods."
            : $"{best.Method} has the lowest p95 latency, {F(best.P95LatencyMs, "0")} ms ({Percent(best.SlaViolationFraction)} of requests miss their SLA); " +
              $"{worst.Method} the highest, {F(worst.P95LatencyMs, "0")} ms ({Percent(worst.SlaViolationFraction)} miss).";
        return new BarChart("Waiting and latency at the server by method", alt, "method", [.. server.Select(m => m.Method)], new Axis("time", "ms", Min: 0),
            [new BarSeries("mean wait", [.. server.Select(m => m.MeanWaitMs)]), new BarSeries("p95 wait", [.. server.Select(m => m.P95WaitMs)]),
             new BarSeries("p95 latency", [.. server.Select(m => m.P95LatencyMs)])]);
    }
}
