using Stamen.Experiments;
using static Stamen.Reporting.ReportNumber;

namespace Stamen.Reporting.Adapters;

/// <summary>
/// Adapter placement as a <see cref="Report"/>: GPUs per method beside the lower bound, the load each plan puts on its
/// GPUs, and (when verified) the predictor's throughput per GPU against the twin's. Pure: same results, same report.
/// </summary>
public static class AdapterReportBuilder
{
    /// <summary>Category of the lower bound in the GPU chart, beside the methods.</summary>
    public const string LowerBoundCategory = "lower bound";

    public static Report Build(AdapterPlacementReport report, string command)
    {
        ArgumentNullException.ThrowIfNull(report);
        var verified = report.VerifySeed is not null;
        var w = report.Workload;
        var summary = new List<ReportFact>
        {
            new("Workload", w.Name),
            new("Adapters", w.Describe()),
            new("Model", w.Twin.Model.Name),
            new("GPU", w.Twin.Gpu.Name),
            new("Predictor", report.Predictor),
            new("Lower bound", $"{I(report.LowerBound.Gpus)} GPUs ({report.LowerBound.How}); one GPU serves at most {F(report.LowerBound.CapacityTokensPerSec, "N0")} tokens/s"),
            new("Seed", I(w.Seed) + (report.VerifySeed is { } v ? $" (plans); {I(v)} (verifying twin's arrivals)" : "")),
        };
        var sections = new List<ReportSection>
        {
            new("GPUs by method", verified
                    ? "Every plan replayed in the engine twin on arrivals it was not made from; starved: served below 0.9 of the offered token rate, or the engine does not start."
                    : "Starved as the method's own predictor expects it; `stamen adapters verify` replays the plans in the twin.",
                [SummaryTable(report)], [GpuChart(report)]),
            new("Load per GPU", "Offered tokens/s per GPU (request rate x mean prompt + output tokens), GPUs sorted by load, beside what one GPU can serve.",
                [GpuTable(report)], [LoadChart(report)]),
        };
        if (verified)
            sections.Add(new ReportSection("Predicted against measured throughput",
                $"Per GPU: the {report.Predictor} predictor's tokens/s against the verifying twin's. On the diagonal, the prediction is exact.",
                [ErrorTable(report)], [PredictionChart(report)]));
        return new Report("adapters", $"Adapter placement: {w.Name}", command, summary, sections)
        {
            Timings = new ReportTable("Planning time per method", ["method", "plan ms"],
                [.. report.Methods.Select(m => (IReadOnlyList<string>)[m.Placement.Method, F(m.PlanMs, "0")])]),
        };
    }

    private static ReportTable SummaryTable(AdapterPlacementReport report)
    {
        var verified = report.VerifySeed is not null;
        IReadOnlyList<string> columns = verified
            ? ["method", "GPUs", "predicted starved", "twin: starved GPUs", "twin: tokens/s", "twin: offered"]
            : ["method", "GPUs", "predicted starved"];
        return new ReportTable($"{report.Workload.Name}: GPUs by method (lower bound {I(report.LowerBound.Gpus)})", columns,
            [.. report.Methods.Select(m =>
            {
                var row = new List<string> { m.Placement.Method, I(m.Placement.GpuCount), I(m.Placement.PredictedStarvedGpus) };
                if (m.Verification is { } v) row.AddRange([I(v.StarvedGpus), F(v.ThroughputTokensPerSec, "N0"), F(v.OfferedTokensPerSec, "N0")]);
                return (IReadOnlyList<string>)row;
            })]);
    }

    /// <summary>GPUs per method, stacked as starved and not, with the lower bound as one more bar.</summary>
    private static BarChart GpuChart(AdapterPlacementReport report)
    {
        var verified = report.VerifySeed is not null;
        var starved = report.Methods.Select(m => (double)(m.Verification?.StarvedGpus ?? m.Placement.PredictedStarvedGpus)).Append(0).ToArray();
        var healthy = report.Methods.Select((m, i) => m.Placement.GpuCount - starved[i]).Append(report.LowerBound.Gpus).ToArray();
        var how = verified ? "in the twin" : "as predicted";
        var fewest = report.Methods.Where(m => (m.Verification?.StarvedGpus ?? m.Placement.PredictedStarvedGpus) == 0).MinBy(m => m.Placement.GpuCount);
        var most = report.Methods.MaxBy(m => m.Placement.GpuCount);
        var bound = report.LowerBound.Gpus;
        string alt;
        if (fewest is null) alt = $"Every method's plan has starved GPUs {how}; the lower bound is {I(bound)} GPUs.";
        else
        {
            var gap = fewest.Placement.GpuCount - bound;
            var tied = report.Methods.Where(m => m.Placement.GpuCount == fewest.Placement.GpuCount && (m.Verification?.StarvedGpus ?? m.Placement.PredictedStarvedGpus) == 0)
                .Select(m => m.Placement.Method).ToArray();
            alt = $"{Names(tied)} need{(tied.Length == 1 ? "s" : "")} the fewest GPUs with none starved {how}: {I(fewest.Placement.GpuCount)}, " +
                (gap == 0 ? "the lower bound itself" : $"{I(gap)} above the lower bound of {I(bound)}") + ".";
        }
        if (most is not null)
        {
            var mostStarved = most.Verification?.StarvedGpus ?? most.Placement.PredictedStarvedGpus;
            alt += $" {most.Placement.Method} uses the most, {I(most.Placement.GpuCount)}" + (mostStarved > 0 ? $", {I(mostStarved)} of them starved {how}." : ".");
        }
        var starvedCount = report.Methods.Count(m => (m.Verification?.StarvedGpus ?? m.Placement.PredictedStarvedGpus) > 0);
        if (starvedCount > 0) alt += $" {I(starvedCount)} of {I(report.Methods.Count)} {(starvedCount == 1 ? "method leaves" : "methods leave")} GPUs starved {how}.";
        return new BarChart($"GPUs per method ({(verified ? "starved in the twin" : "starved as predicted")}) and the lower bound", alt, "method",
            [.. report.Methods.Select(m => m.Placement.Method), LowerBoundCategory], new Axis("GPUs", "GPUs", Min: 0),
            [new BarSeries("GPUs serving their load", healthy), new BarSeries($"GPUs starved ({how})", starved)], Stacked: true);
    }

    private static ReportTable GpuTable(AdapterPlacementReport report)
    {
        var verified = report.VerifySeed is not null;
        var columns = new List<string> { "method", "GPU", "max_loras", "adapters", "max rank", "req/s", "offered tokens/s" };
        if (verified) columns.AddRange(["predicted tokens/s", "KV tokens", "twin tokens/s", "twin offered", "starved"]);
        columns.Add("adapters (first 6)");
        var perRequest = TokensPerRequest(report);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var m in report.Methods)
            for (var i = 0; i < m.Placement.Gpus.Count; i++)
            {
                var g = m.Placement.Gpus[i];
                var row = new List<string> { m.Placement.Method, I(i), I(g.Slots), I(g.Adapters.Count), I(g.MaxRank), F(g.RatePerSec, "0.###"), F(g.RatePerSec * perRequest, "N0") };
                if (m.Verification is { } v)
                {
                    var o = v.Gpus[i];
                    row.Add(m.Predictions is { } p ? F(p[i].ThroughputTokensPerSec, "N0") : "-");
                    row.AddRange([o.Starts ? F(o.KvCapacityTokens, "N0") : "does not start", F(o.ThroughputTokensPerSec, "N0"), F(o.OfferedTokensPerSec, "N0"), o.Starved ? "yes" : "no"]);
                }
                row.Add(string.Join(", ", g.Adapters.Take(6).Select(a => a.Name)) + (g.Adapters.Count > 6 ? ", ..." : ""));
                rows.Add(row);
            }
        return new ReportTable("Adapters per GPU", columns, rows);
    }

    /// <summary>Each plan's GPUs sorted by offered load, and one GPU's capacity as a flat line: how full and how even each method packs.</summary>
    private static LineChart LoadChart(AdapterPlacementReport report)
    {
        var perRequest = TokensPerRequest(report);
        var capacity = report.LowerBound.CapacityTokensPerSec;
        var series = new List<XySeries>();
        var spreads = new List<(string Method, double Peak, double Spread)>();
        foreach (var m in report.Methods)
        {
            var loads = m.Placement.Gpus.Select(g => g.RatePerSec * perRequest).OrderDescending().ToArray();
            if (loads.Length == 0) continue;
            series.Add(Cdf.Line(m.Placement.Method, [.. Enumerable.Range(1, loads.Length).Select(i => (double)i)], loads) with { Markers = true });
            spreads.Add((m.Placement.Method, loads[0], loads.Average() > 0 ? loads[0] / loads.Average() : double.NaN));
        }
        var widest = Math.Max(1, report.Methods.Select(m => m.Placement.GpuCount).DefaultIfEmpty(1).Max());
        if (capacity > 0) series.Add(new XySeries("one GPU's capacity", [1, widest], [capacity, capacity]));
        var alt = "No plan has GPUs.";
        if (spreads.Count > 0)
        {
            var even = spreads.Where(s => double.IsFinite(s.Spread)).MinBy(s => s.Spread);
            var peak = spreads.MaxBy(s => s.Peak);
            alt = $"{even.Method} spreads load most evenly: its busiest GPU is offered {F(even.Spread, "0.00")}x its plan's mean. " +
                $"{peak.Method} loads one GPU the most, {F(peak.Peak, "N0")} tokens/s" +
                (capacity > 0 ? $", {Percent(peak.Peak / capacity, "0")} of what one GPU can serve ({F(capacity, "N0")} tokens/s)." : ".");
        }
        return new LineChart("Offered load per GPU, busiest first", alt, new Axis("GPU (by load)", "rank", Min: 1), new Axis("offered load", "tokens/s", Min: 0), series);
    }

    private static ReportTable ErrorTable(AdapterPlacementReport report) =>
        new("Prediction error per method", ["method", "GPUs", "mean |error|", "worst |error|", "predicted starved", "twin: starved"],
            [.. report.Methods.Where(m => m.Verification is not null && m.Predictions is not null).Select(m =>
            {
                var errors = Errors(m);
                return (IReadOnlyList<string>)
                [
                    m.Placement.Method, I(m.Placement.GpuCount), errors.Length > 0 ? Percent(errors.Average()) : "-",
                    errors.Length > 0 ? Percent(errors.Max()) : "-", I(m.Predictions!.Count(p => p.Starved)), I(m.Verification!.StarvedGpus),
                ];
            })]);

    private static ScatterChart PredictionChart(AdapterPlacementReport report)
    {
        var methods = report.Methods.Where(m => m.Verification is not null && m.Predictions is not null).ToArray();
        var series = methods.Select(m => new PointSeries(m.Placement.Method,
            [.. m.Predictions!.Select(p => p.ThroughputTokensPerSec)], [.. m.Verification!.Gpus.Select(o => o.ThroughputTokensPerSec)],
            Labels: [.. Enumerable.Range(0, m.Placement.GpuCount).Select(i => $"{m.Placement.Method} GPU {I(i)}")])).ToArray();
        var errors = methods.Select(m => (m.Placement.Method, Errors: Errors(m))).Where(x => x.Errors.Length > 0).ToArray();
        var alt = "No GPU served tokens in the twin, so there is nothing to compare.";
        if (errors.Length > 0)
        {
            var all = errors.SelectMany(x => x.Errors).ToArray();
            var best = errors.MinBy(x => x.Errors.Average());
            var worst = errors.MaxBy(x => x.Errors.Average());
            alt = $"The {report.Predictor} predictor's throughput is off the twin's by {Percent(all.Average())} on average over {I(all.Length)} GPUs " +
                $"(worst GPU {Percent(all.Max())}); closest for {best.Method} ({Percent(best.Errors.Average())}), furthest for {worst.Method} ({Percent(worst.Errors.Average())}).";
        }
        return new ScatterChart("Predicted against twin-measured throughput per GPU", alt,
            new Axis("predicted throughput", "tokens/s", Min: 0), new Axis("twin-measured throughput", "tokens/s", Min: 0), series, Diagonal: true);
    }

    /// <summary>|predicted - measured| / measured per GPU that served tokens in the twin.</summary>
    private static double[] Errors(AdapterMethodResult m) =>
        m.Predictions is null || m.Verification is null ? []
            : [.. m.Predictions.Zip(m.Verification.Gpus).Where(x => x.Second.ThroughputTokensPerSec > 0)
                .Select(x => Math.Abs(x.First.ThroughputTokensPerSec - x.Second.ThroughputTokensPerSec) / x.Second.ThroughputTokensPerSec)];

    private static double TokensPerRequest(AdapterPlacementReport report) => report.Workload.Twin.PromptTokens.Mean + report.Workload.Twin.OutputTokens.Mean;
}
