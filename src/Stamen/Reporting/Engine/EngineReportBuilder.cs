using Stamen.Experiments;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;
using static Stamen.Reporting.ReportNumber;

namespace Stamen.Reporting.Engine;

/// <summary>
/// The serving-engine twin's results as a <see cref="Report"/>: per policy, latency CDFs and KV use over time at the
/// scenario's rate, and throughput against TTFT and ITL across request rates. Pure: the same results give the same report.
/// </summary>
public static class EngineReportBuilder
{
    /// <summary>Rates (times the scenario's) a comparison report sweeps when the command itself runs only one: cheap, and
    /// enough to show where each policy's latency turns up.</summary>
    public static IReadOnlyList<double> RateFactors { get; } = [0.5, 1, 1.5, 2];

    /// <summary>`engine compare` or `engine simulate`: <paramref name="results"/> at the scenario's rate, <paramref name="sweep"/> across rates.</summary>
    public static Report Comparison(EngineScenario scenario, int seed, IReadOnlyList<EngineRunResult> results, IReadOnlyList<EngineSweepRow> sweep,
        EngineSlo slo, string command)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(slo);
        var sections = new List<ReportSection>
        {
            new("Policies at the scenario's rate",
                "tokens/s: input + output tokens of completed requests over the makespan; KV util and waste are time averages over the KV capacity; " +
                "served/offered: token rates over the arrival window, starved below 0.9.",
                [PolicyTable(scenario, results)], [TtftCdf(results), ItlCdf(results)]),
        };
        if (sweep.Count > 0 && sweep[0].Points.Count > 0)
            sections.Add(SweepSection(sweep, slo, $"a sweep run for this report at {Factors(sweep)} the scenario's rate"));
        sections.Add(new ReportSection("KV cache use over time", "KV tokens held by every instance's requests, as a share of the cache, sampled during the run.",
            [], [KvTimeline(results)]));
        return new Report("engine", $"Engine policies: {scenario.Name}", command, Summary(scenario, seed), sections);
    }

    /// <summary>`engine sweep`: every policy at each rate, and the highest rate each sustains within the SLO.</summary>
    public static Report Sweep(EngineScenario scenario, int seed, IReadOnlyList<EngineSweepRow> rows, EngineSlo slo, string command)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(slo);
        var capacity = new ReportTable("Capacity at the SLO", ["policy", "rate", "req/s", "tokens/s"],
            [.. rows.Select(r => (IReadOnlyList<string>)(r.Capacity is { } c
                ? [r.Policy, F(c.RateFactor, "0.##") + "x", F(c.OfferedRequestsPerSec, "0.###"), F(c.Metrics.TotalTokensPerSec, "0")]
                : [r.Policy, "below the lowest rate", "-", "-"]))]);
        var sections = new List<ReportSection>
        {
            new("Capacity at the SLO", $"SLO: {slo.Describe()}. Capacity: the highest rate a policy meets the SLO at, and at every lower rate.",
                [capacity], [CapacityChart(rows)]),
            SweepSection(rows, slo, $"rates {Factors(rows)} the scenario's"),
        };
        return new Report("engine", $"Engine rate sweep: {scenario.Name}", command, Summary(scenario, seed), sections);
    }

    private static List<ReportFact> Summary(EngineScenario scenario, int seed)
    {
        var c = scenario.Config;
        var d = scenario.Deployment;
        var facts = new List<ReportFact>
        {
            new("Scenario", scenario.Name),
            new("Model", c.Model.Name),
            new("GPU", d.Instances > 1 ? $"{I(d.Instances)} x {c.Gpu.Name} behind the {d.Router} router" : c.Gpu.Name),
            new("Engine", $"KV {F(c.KvCapacityTokens, "N0")} tokens, max batch {I(c.MaxBatchSize)}, token budget {I(c.TokenBudgetPerIteration)}, max context {I(c.MaxContextTokens)}"),
            new("Step time", scenario.StepTimeLabel),
            new("Workload", scenario.Workload.Describe()),
            new("Policies", string.Join(", ", scenario.Policies.Select(p => p.Name))),
            new("Seed", I(seed)),
        };
        if (d.Lora is { } lora)
            facts.Insert(5, new ReportFact("LoRA", $"{I(lora.Adapters.Count)} adapters, max_loras {I(lora.MaxLoras)}, max rank {I(lora.MaxLoraRank)}, KV {scenario.KvLabel}"));
        return facts;
    }

    private static ReportTable PolicyTable(EngineScenario scenario, IReadOnlyList<EngineRunResult> results) =>
        new(scenario.Name,
            ["policy", "tokens/s", "mean TTFT s", "p99 TTFT s", "mean ITL s", "e2e p50 s", "e2e p99 s", "preempt", "rejected", "KV util", "KV waste", "served/offered"],
            [.. results.Select(r =>
            {
                var m = r.Metrics;
                var s = m.Starvation;
                return (IReadOnlyList<string>)
                [
                    r.PolicyName, F(m.TotalTokensPerSec, "0"), Seconds(m.TimeToFirstToken.MeanMs, "0.000"), Seconds(m.TimeToFirstToken.P99Ms, "0.000"),
                    Seconds(m.InterTokenLatency.MeanMs, "0.0000"), Seconds(m.EndToEndLatency.P50Ms, "0.00"), Seconds(m.EndToEndLatency.P99Ms, "0.00"),
                    I(m.Preemptions), I(m.Rejected), Percent(m.KvUtilisation), Percent(m.KvWasteFraction),
                    s.OfferedTokensPerSec <= 0 ? "-" : F(s.ServedTokensPerSec / s.OfferedTokensPerSec, "0.00") + (s.Starved ? " starved" : ""),
                ];
            })]);

    private static LineChart TtftCdf(IReadOnlyList<EngineRunResult> results)
    {
        var series = results.Select(r => Cdf.Of(r.PolicyName,
            r.Requests.Where(q => q.Outcome == EngineOutcome.Completed).Select(q => (q.FirstTokenMs - q.ArrivalMs) / 1000))).ToArray();
        var alt = Spread(results, r => r.Metrics.TimeToFirstToken.P99Ms / 1000, "p99 time to first token", "s", "0.000");
        return new LineChart("Time to first token (CDF over completed requests)", alt,
            new Axis("time to first token", "s", AxisScale.Log), new Axis("fraction of requests", "fraction", Min: 0, Max: 1), series);
    }

    private static LineChart ItlCdf(IReadOnlyList<EngineRunResult> results)
    {
        var series = results.Select(r => Cdf.FromQuantiles(r.PolicyName, r.ItlPercentilesMs ?? [], EngineRunResult.PercentileFractions, 0.001))
            .ToArray();
        var alt = Spread(results, r => r.Metrics.InterTokenLatency.P99Ms / 1000, "p99 inter-token latency", "s", "0.0000");
        return new LineChart("Inter-token latency (CDF over output tokens, from the run's log histogram)", alt,
            new Axis("inter-token latency", "s"), new Axis("fraction of tokens", "fraction", Min: 0, Max: 1), series);
    }

    private static LineChart KvTimeline(IReadOnlyList<EngineRunResult> results)
    {
        var series = results.Select(r => Cdf.Line(r.PolicyName,
            [.. r.KvTimeline.Select(k => k.TimeMs / 1000)], [.. r.KvTimeline.Select(k => 100 * k.Utilisation)], step: true)).ToArray();
        var alt = Spread(results, r => 100 * r.Metrics.KvUtilisation, "time-average KV use", "%", "0.0", lowerIsBetter: false);
        var peak = results.Where(r => r.KvTimeline.Count > 0).Select(r => (r.PolicyName, Peak: r.KvTimeline.Max(k => k.Utilisation))).ToArray();
        if (peak.Length > 0)
        {
            var top = peak.MaxBy(p => p.Peak);
            alt += $" The highest sample is {Percent(top.Peak)} ({top.PolicyName}).";
        }
        return new LineChart("KV cache use over time per policy", alt, new Axis("time", "s"), new Axis("KV cache held", "%", Min: 0), series);
    }

    private static ReportSection SweepSection(IReadOnlyList<EngineSweepRow> rows, EngineSlo slo, string how)
    {
        var factors = rows[0].Points.Select(p => p.RateFactor).ToArray();
        var table = new ReportTable("Each policy at each rate", ["rate", "req/s", "policy", "tokens/s", "p99 TTFT s", "mean ITL s", "KV waste", "preemptions", "rejected", "SLO"],
            [.. factors.SelectMany(f => rows.Select(r =>
            {
                var p = r.Points.First(x => x.RateFactor == f);
                var m = p.Metrics;
                return (IReadOnlyList<string>)
                [
                    F(f, "0.##") + "x", F(p.OfferedRequestsPerSec, "0.###"), r.Policy, F(m.TotalTokensPerSec, "0"), Seconds(m.TimeToFirstToken.P99Ms, "0.000"),
                    Seconds(m.InterTokenLatency.MeanMs, "0.0000"), Percent(m.KvWasteFraction), I(m.Preemptions), I(m.Rejected), p.MeetsSlo ? "met" : "missed",
                ];
            }))]);
        var ttft = Curve(rows, p => p.Metrics.TimeToFirstToken.P99Ms / 1000);
        var itl = Curve(rows, p => p.Metrics.InterTokenLatency.MeanMs / 1000);
        var finding = SweepFinding(rows);
        return new ReportSection("Throughput against latency across request rates", $"One point per rate ({how}), in rising order. SLO: {slo.Describe()}.",
            [table],
            [
                new LineChart($"p99 time to first token against throughput ({how})", finding + " " + AtTop(rows, p => p.Metrics.TimeToFirstToken.P99Ms / 1000, "p99 TTFT", "0.000"),
                    new Axis("throughput", "tokens/s"), new Axis("p99 time to first token", "s", AxisScale.Log), ttft),
                new LineChart($"Mean inter-token latency against throughput ({how})", finding + " " + AtTop(rows, p => p.Metrics.InterTokenLatency.MeanMs / 1000, "mean ITL", "0.0000"),
                    new Axis("throughput", "tokens/s"), new Axis("mean inter-token latency", "s"), itl),
            ]);
    }

    /// <summary>Throughput against a latency, one point per rate; a rate where nothing completed (no latency) is left out.</summary>
    private static XySeries[] Curve(IReadOnlyList<EngineSweepRow> rows, Func<EngineSweepPoint, double> latencyS) =>
        [.. rows.Select(r =>
        {
            var points = r.Points.Where(p => double.IsFinite(latencyS(p)) && p.Metrics.Completed > 0).ToArray();
            return new XySeries(r.Policy, [.. points.Select(p => p.Metrics.TotalTokensPerSec)], [.. points.Select(latencyS)], Markers: true);
        })];

    private static BarChart CapacityChart(IReadOnlyList<EngineSweepRow> rows)
    {
        var values = rows.Select(r => r.Capacity?.Metrics.TotalTokensPerSec ?? 0).ToArray();
        var best = rows.Zip(values).MaxBy(x => x.Second);
        var worst = rows.Zip(values).MinBy(x => x.Second);
        var alt = best.Second <= 0
            ? "No policy meets the SLO at the lowest rate."
            : $"{best.First.Policy} sustains the most within the SLO, {F(best.Second, "N0")} tokens/s at {F(best.First.Capacity!.RateFactor, "0.##")}x; " +
              (worst.Second > 0 ? $"{worst.First.Policy} the least, {F(worst.Second, "N0")} tokens/s ({Ratio(best.Second, worst.Second)} less)." : $"{worst.First.Policy} meets it at no rate swept.");
        return new BarChart("Throughput each policy sustains within the SLO", alt, "policy", [.. rows.Select(r => r.Policy)],
            new Axis("throughput at capacity", "tokens/s", Min: 0), [new BarSeries("tokens/s at the highest rate within the SLO", values)]);
    }

    /// <summary>Who sustains the highest rate within the SLO, in words.</summary>
    private static string SweepFinding(IReadOnlyList<EngineSweepRow> rows)
    {
        var best = rows.MaxBy(r => r.Capacity?.RateFactor ?? 0)!;
        var worst = rows.MinBy(r => r.Capacity?.RateFactor ?? 0)!;
        if (best.Capacity is null) return rows.Count == 1 ? $"{best.Policy} misses the SLO even at the lowest rate." : "No policy meets the SLO even at the lowest rate.";
        if (rows.Count == 1) return $"{best.Policy} meets the SLO up to {F(best.Capacity.RateFactor, "0.##")}x the rate.";
        var tied = rows.Where(r => r.Capacity?.RateFactor == best.Capacity.RateFactor).Select(r => r.Policy).ToArray();
        var lead = tied.Length > 1 ? $"{string.Join(", ", tied)} meet the SLO up to {F(best.Capacity.RateFactor, "0.##")}x the rate"
            : $"{best.Policy} meets the SLO up to {F(best.Capacity.RateFactor, "0.##")}x the rate";
        return worst.Capacity is null ? $"{lead}; {worst.Policy} misses it already at the lowest rate."
            : worst.Capacity.RateFactor < best.Capacity.RateFactor ? $"{lead}; {worst.Policy} only up to {F(worst.Capacity.RateFactor, "0.##")}x."
            : $"{lead}, every policy alike.";
    }

    /// <summary>The spread of a latency among policies at the highest rate swept.</summary>
    private static string AtTop(IReadOnlyList<EngineSweepRow> rows, Func<EngineSweepPoint, double> value, string what, string format)
    {
        var top = rows.Select(r => (r.Policy, Value: value(r.Points[^1]))).Where(x => double.IsFinite(x.Value)).ToArray();
        if (top.Length == 0) return "";
        var lo = top.MinBy(x => x.Value);
        var hi = top.MaxBy(x => x.Value);
        if (top.Length == 1) return $"At the highest rate, {what} is {F(lo.Value, format)} s.";
        return $"At the highest rate, {what} ranges from {F(lo.Value, format)} s ({lo.Policy}) to {F(hi.Value, format)} s ({hi.Policy}).";
    }

    /// <summary>Best and worst policy by one value, in words ("vllm has the lowest ..., 0.4 s; orca ... the highest, 3.1 s (7.8x)").</summary>
    private static string Spread(IReadOnlyList<EngineRunResult> results, Func<EngineRunResult, double> value, string what, string unit, string format,
        bool lowerIsBetter = true)
    {
        var values = results.Select(r => (r.PolicyName, Value: value(r))).Where(x => double.IsFinite(x.Value)).ToArray();
        if (values.Length == 0) return $"No policy completed a request, so there is no {what}.";
        var lo = values.MinBy(x => x.Value);
        var hi = values.MaxBy(x => x.Value);
        var u = unit == "%" ? "%" : " " + unit;
        if (values.Length == 1) return $"{lo.PolicyName}: {what} {F(lo.Value, format)}{u}.";
        if (F(lo.Value, format) == F(hi.Value, format)) return $"Every policy has the same {what}, {F(lo.Value, format)}{u}.";
        var (first, second) = lowerIsBetter ? (lo, hi) : (hi, lo);
        var tied = values.Where(x => x.PolicyName != first.PolicyName && F(x.Value, format) == F(first.Value, format)).Select(x => x.PolicyName).ToArray();
        var tieText = tied.Length switch { 0 => "", <= 2 => $" (tied with {Names(tied)})", _ => $" (tied with {I(tied.Length)} others)" };
        return $"{first.PolicyName}{tieText} has the {(lowerIsBetter ? "lowest" : "highest")} {what}, {F(first.Value, format)}{u}; " +
            $"{second.PolicyName} the {(lowerIsBetter ? "highest" : "lowest")}, {F(second.Value, format)}{u} ({Ratio(hi.Value, lo.Value)}).";
    }

    private static string Seconds(double ms, string format) => F(ms / 1000, format);

    private static string Factors(IReadOnlyList<EngineSweepRow> rows) => string.Join(", ", rows[0].Points.Select(p => F(p.RateFactor, "0.##") + "x"));
}
