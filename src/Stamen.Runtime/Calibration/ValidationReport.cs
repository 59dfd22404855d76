using System.Globalization;
using Stamen.Reporting;

namespace Stamen.Runtime.Calibration;

/// <summary>`stamen validate` as a report: the measured-vs-twin table, both times by case, and predicted against measured.</summary>
public static class ValidationReport
{
    public static Report Build(string command, string model, string? scenario, RuntimeProfile profile, IReadOnlyList<SwarmValidationResult> results)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(results);
        var summary = new List<ReportFact>
        {
            new("Model", model),
            new("Swarm", scenario ?? "chains given by hand"),
            new("Cases", ReportNumber.I(results.Count)),
            new("Profile", Invariant($"decode {profile.DecodeMsPerBlock:0.###} ms/block, prefill {profile.PrefillMsPerToken:0.####} ms/token + {profile.PrefillFixedMs:0.###} ms, client {profile.ClientMsPerToken:0.###} ms/token, hop overhead {profile.HopOverheadMs:0.###} ms")),
        };
        var table = Table(results);
        var cases = results.Select(r => r.Case).ToList();
        var worstPerToken = results.MaxBy(r => Math.Abs(r.PerTokenErrorPercent));
        var worstFirst = results.MaxBy(r => Math.Abs(r.FirstTokenErrorPercent));
        var perToken = new BarChart("Per-token time by case: measured and twin", worstPerToken is null ? "No cases." :
                Invariant($"The twin's per-token time is within {Math.Abs(worstPerToken.PerTokenErrorPercent):0.#}% of measured in every case; the largest error is {worstPerToken.Case} ({worstPerToken.PerTokenErrorPercent:+0.#;-0.#}%)."),
            "case", cases, new Axis("Per-token time", "ms"),
            [new BarSeries("measured", [.. results.Select(r => r.MeasuredPerTokenMs)]), new BarSeries("twin", [.. results.Select(r => r.PredictedPerTokenMs)])]);
        var firstToken = new BarChart("First-token time by case: measured and twin", worstFirst is null ? "No cases." :
                Invariant($"The twin's first-token time is within {Math.Abs(worstFirst.FirstTokenErrorPercent):0.#}% of measured in every case; the largest error is {worstFirst.Case} ({worstFirst.FirstTokenErrorPercent:+0.#;-0.#}%)."),
            "case", cases, new Axis("First-token time", "ms"),
            [new BarSeries("measured", [.. results.Select(r => r.MeasuredFirstTokenMs)]), new BarSeries("twin", [.. results.Select(r => r.PredictedFirstTokenMs)])]);
        var within10 = results.Count(r => Math.Abs(r.PerTokenErrorPercent) <= 10);
        var over = results.Count(r => r.FirstTokenErrorPercent > 0);
        var scatter = new ScatterChart("Twin against measured, every case", Invariant(
                $"Points on the diagonal are exact predictions. {within10} of {results.Count} cases are within 10% on per-token time; the twin's first-token time is above measured in {over} of {results.Count} cases and below in {results.Count - over}."),
            new Axis("Measured", "ms", AxisScale.Log), new Axis("Twin", "ms", AxisScale.Log),
            [new PointSeries("per token", [.. results.Select(r => r.MeasuredPerTokenMs)], [.. results.Select(r => r.PredictedPerTokenMs)], Labels: cases),
             new PointSeries("first token", [.. results.Select(r => r.MeasuredFirstTokenMs)], [.. results.Select(r => r.PredictedFirstTokenMs)], Labels: cases)],
            Diagonal: true);
        return new Report("validation", $"{model}: a real swarm against the twin", command, summary,
        [
            new ReportSection("Measured vs predicted", "Each case starts its block servers on this machine, delays each client's requests by its round trip to each server, and runs its requests one after another; the twin predicts the same chains with the profiled constants.",
                [table], [perToken, firstToken, scatter]),
        ]);
    }

    /// <summary>Measured against predicted per case: the report's table, and what `stamen validate` prints.</summary>
    public static ReportTable Table(IReadOnlyList<SwarmValidationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return new ReportTable("Measured on a real swarm vs the twin with this machine's profile (medians over each case's requests)",
            ["case", "placement", "routes", "RTT ms", "ping ms", "requests", "first token ms", "twin ms", "error", "per token ms", "twin ms", "error", "tokens = local"],
            [.. results.Select(r => (IReadOnlyList<string>)[r.Case, r.Placement, r.Routes, r.RttsMs, r.PingRttsMs, ReportNumber.I(r.Requests),
                F(r.MeasuredFirstTokenMs), F(r.PredictedFirstTokenMs), Pct(r.FirstTokenErrorPercent), F(r.MeasuredPerTokenMs), F(r.PredictedPerTokenMs),
                Pct(r.PerTokenErrorPercent), r.TokensEqualLocal ? "yes" : "NO"])]);
    }

    private static string F(double v) => ReportNumber.F(v, "0.0");

    private static string Pct(double v) => ReportNumber.F(v, "+0.0;-0.0") + "%";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
