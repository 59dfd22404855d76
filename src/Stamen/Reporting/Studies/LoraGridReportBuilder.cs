using Stamen.Experiments;
using static Stamen.Reporting.ReportNumber;

namespace Stamen.Reporting.Studies;

/// <summary>
/// `stamen reproduce engine-lora` as a <see cref="Report"/>: throughput and starved adapters against the adapters served,
/// one line per max_loras slot count, so the point where adapter swapping starts to cost shows as lines parting. Pure:
/// same cells, same report.
/// </summary>
public static class LoraGridReportBuilder
{
    public static Report Build(LoraGridSetup setup, IReadOnlyList<LoraGridCell> cells, string command)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(cells);
        var adapters = cells.Select(c => c.Adapters).Distinct().Order().ToArray();
        var x = new Axis("served adapters", "adapters", IsGeometric(adapters) ? AxisScale.Log : AxisScale.Linear);
        var sections = new List<ReportSection>
        {
            new("Throughput by served adapters and slots",
                "Starved: an adapter served below 0.9 of its offered token rate; a slot count above the adapters served is skipped (vLLM caps it).",
                [Table(cells), DetailTable(cells)], [ThroughputChart(cells, x), StarvationChart(cells, x)]),
        };
        return new Report("reproduce", $"Multi-LoRA grid: {setup.Model} on h100-sxm", command, Summary(setup, cells), sections);
    }

    /// <summary>Served adapters down, slots across, tokens/s in each cell (starvation marked), as the console prints it.</summary>
    public static ReportTable Table(IReadOnlyList<LoraGridCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var slots = cells.Select(c => c.Slots).Distinct().Order().ToArray();
        return new ReportTable("tokens/s by served adapters (rows) and max_loras slots (columns)", ["adapters", .. slots.Select(s => I(s) + " slots")],
            [.. cells.GroupBy(c => c.Adapters).OrderBy(g => g.Key).Select(g => (IReadOnlyList<string>)
                [I(g.Key), .. slots.Select(s => g.FirstOrDefault(c => c.Slots == s) is { } c ? Cell(c) : "")])]);
    }

    /// <summary>Every cell's KV capacity, rates, latencies and adapter loads.</summary>
    public static ReportTable DetailTable(IReadOnlyList<LoraGridCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return new ReportTable("Every cell",
            ["adapters", "slots", "KV tokens", "KV from", "tokens/s", "offered tokens/s", "mean TTFT s", "mean ITL s", "adapter loads", "starved adapters"],
            [.. cells.OrderBy(c => c.Adapters).ThenBy(c => c.Slots).Select(c => (IReadOnlyList<string>)(c.Metrics is not { } m
                ? [I(c.Adapters), I(c.Slots), "fails to start", "", "", "", "", "", "", ""]
                : [I(c.Adapters), I(c.Slots), F(c.KvCapacityTokens ?? 0, "N0"), SourceWord(c.KvSource), F(m.TotalTokensPerSec, "N0"), F(m.Starvation.OfferedTokensPerSec, "N0"),
                   F(m.TimeToFirstToken.MeanMs / 1000, "0.00"), F(m.InterTokenLatency.MeanMs / 1000, "0.0000"), I(m.AdapterLoads), I(c.StarvedAdapters)]))]);
    }

    /// <summary>"published" for a measured point; otherwise how the capacity was derived, so modelled cells stand out.</summary>
    private static string SourceWord(Stamen.Adapters.KvCapacitySource? source) => source switch
    {
        Stamen.Adapters.KvCapacitySource.PublishedPoint => "published",
        Stamen.Adapters.KvCapacitySource.Interpolated => "interpolated",
        Stamen.Adapters.KvCapacitySource.Extrapolated => "extrapolated",
        Stamen.Adapters.KvCapacitySource.Memory => "memory (no published cell)",
        _ => "",
    };

    private static string Cell(LoraGridCell c) => c.Metrics is not { } m
        ? "fails to start"
        : F(m.TotalTokensPerSec, "N0") + (m.Starvation.Starved ? " (starved)" : "");

    /// <summary>
    /// A grid is drawn on a log axis when its steps grow with it: three or more values whose ratios vary less than their
    /// differences (8, 32, 96, 192, 384), so the small counts are not crowded into the axis's first tenth.
    /// </summary>
    internal static bool IsGeometric(IReadOnlyList<int> sorted)
    {
        if (sorted.Count < 3 || sorted[0] <= 0) return false;
        var ratios = sorted.Zip(sorted.Skip(1), (a, b) => (double)b / a).ToArray();
        var steps = sorted.Zip(sorted.Skip(1), (a, b) => (double)(b - a)).ToArray();
        return ratios.Max() / ratios.Min() < steps.Max() / steps.Min();
    }

    private static List<ReportFact> Summary(LoraGridSetup s, IReadOnlyList<LoraGridCell> cells) =>
    [
        new("Model", $"{s.Model} on one h100-sxm"),
        new("Policy", s.Policy),
        new("Adapters", $"{string.Join(", ", cells.Select(c => c.Adapters).Distinct().Order().Select(a => I(a)))}, ranks {string.Join(", ", s.Ranks.Select(r => I(r)))} cycled"),
        new("Slots (max_loras)", string.Join(", ", cells.Select(c => c.Slots).Distinct().Order().Select(a => I(a)))),
        new("Arrivals", $"Poisson, {F(s.RatePerAdapterPerSec, "0.###")} req/s per adapter for {F(s.DurationSec, "0.#")} s"),
        new("Seed", I(s.Seed)),
        .. cells.Where(c => c.KvFallback is not null).GroupBy(c => c.KvFallback!)
            .Select(g => new ReportFact("KV fallback", $"{I(g.Count())} cells from GPU memory less the adapter slots: {g.Key}")),
    ];

    private static IEnumerable<(int Slots, LoraGridCell[] Cells)> BySlots(IReadOnlyList<LoraGridCell> cells) =>
        cells.GroupBy(c => c.Slots).OrderBy(g => g.Key).Select(g => (g.Key, g.Where(c => c.Metrics is not null).OrderBy(c => c.Adapters).ToArray()));

    private static LineChart ThroughputChart(IReadOnlyList<LoraGridCell> cells, Axis x)
    {
        var started = cells.Where(c => c.Metrics is not null).ToArray();
        string alt;
        if (started.Length == 0) alt = "The engine starts in no cell of the grid.";
        else
        {
            var best = started.MaxBy(c => c.Metrics!.TotalTokensPerSec)!;
            alt = $"Throughput peaks at {F(best.Metrics!.TotalTokensPerSec, "N0")} tokens/s with {I(best.Adapters)} adapters in {I(best.Slots)} slots.";
            var widest = started.Max(c => c.Adapters);
            var atWidest = started.Where(c => c.Adapters == widest).ToArray();
            if (atWidest.Length > 1)
            {
                var top = atWidest.MaxBy(c => c.Metrics!.TotalTokensPerSec)!;
                var low = atWidest.MinBy(c => c.Metrics!.TotalTokensPerSec)!;
                alt += $" At {I(widest)} adapters, {I(top.Slots)} slots serve {F(top.Metrics!.TotalTokensPerSec, "N0")} tokens/s and {I(low.Slots)} slots " +
                    $"{F(low.Metrics!.TotalTokensPerSec, "N0")} ({Ratio(top.Metrics.TotalTokensPerSec, low.Metrics.TotalTokensPerSec)}).";
            }
        }
        var failed = cells.Where(c => c.Metrics is null).ToArray();
        if (failed.Length > 0)
            alt += $" The engine does not start with {Names([.. failed.Select(c => c.Slots).Distinct().Order().Select(s => I(s))])} slots (the adapters leave no KV memory).";
        return new LineChart("Throughput by served adapters", alt, x, new Axis("throughput", "tokens/s", Min: 0),
            [.. BySlots(cells).Select(g => new XySeries($"{I(g.Slots)} slots", [.. g.Cells.Select(c => (double)c.Adapters)],
                [.. g.Cells.Select(c => c.Metrics!.TotalTokensPerSec)], Markers: true))]);
    }

    private static LineChart StarvationChart(IReadOnlyList<LoraGridCell> cells, Axis x)
    {
        var starved = cells.Where(c => c.Metrics is not null && c.StarvedAdapters > 0).ToArray();
        string alt;
        if (starved.Length == 0) alt = "No adapter is starved in any cell of the grid.";
        else
        {
            var parts = BySlots(cells).Select(g => (g.Slots, First: g.Cells.FirstOrDefault(c => c.StarvedAdapters > 0)))
                .Select(p => p.First is { } f
                    ? $"with {I(p.Slots)} slots from {I(f.Adapters)} adapters ({I(f.StarvedAdapters)} starved)"
                    : $"with {I(p.Slots)} slots never").ToArray();
            var worst = starved.MaxBy(c => (double)c.StarvedAdapters / c.Adapters)!;
            alt = $"Adapters starve {string.Join("; ", parts)}. The worst cell is {I(worst.Adapters)} adapters in {I(worst.Slots)} slots, " +
                $"{I(worst.StarvedAdapters)} of {I(worst.Adapters)} starved.";
        }
        return new LineChart("Starved adapters by served adapters", alt, x, new Axis("starved adapters", "adapters", Min: 0),
            [.. BySlots(cells).Select(g => new XySeries($"{I(g.Slots)} slots", [.. g.Cells.Select(c => (double)c.Adapters)],
                [.. g.Cells.Select(c => (double)c.StarvedAdapters)], Markers: true))]);
    }
}
