using Stamen.Experiments;
using static Stamen.Reporting.ReportNumber;

namespace Stamen.Reporting.Studies;

/// <summary>
/// `stamen reproduce split` as a <see cref="Report"/>: the server work the dynamic program saves against server only, and
/// its gain over greedy, by client device and model (means over links, sequence lengths and SLAs). Pure: same cells,
/// same report.
/// </summary>
public static class SplitGridReportBuilder
{
    private const string MeansText = "Means over links, sequence lengths and SLAs (2, 4 and 8 x the server-only latency); " +
        "capacity gain = server-only work / program's work.";

    public static Report Build(IReadOnlyList<SplitGridCell> cells, string command)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count == 0) throw new ArgumentException("the grid has no cells", nameof(cells));
        var sections = new List<ReportSection>
        {
            new("Server work saved by the split", MeansText, [Table(cells)], [SavingChart(cells), GreedyChart(cells)]),
            new("Breakdown", "Means over every other dimension of the grid.", [Breakdown(cells)], []),
        };
        return new Report("reproduce", "Split placements over a grid of request types", command, Summary(cells), sections);
    }

    /// <summary>One row per model and device, as the console prints it.</summary>
    public static ReportTable Table(IReadOnlyList<SplitGridCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return new ReportTable("split placements over the grid (means per model and device)",
            ["model", "device", "server work saved vs server only", "gain over greedy", "DP strictly better than greedy", "capacity gain", "most switches"],
            [.. cells.GroupBy(c => (c.Model, c.Device)).Select(g => (IReadOnlyList<string>)
            [
                g.Key.Model, g.Key.Device, F(g.Average(c => c.ReductionVsServerOnlyPercent), "0.0") + "%", F(GainOverGreedy(g), "0.0") + "%",
                $"{I(g.Count(c => c.GainOverGreedyPercent > 0.01))} of {I(g.Count())}", F(g.Average(c => c.CapacityGain), "0.00") + "x",
                I(g.Max(c => c.DpSwitches)),
            ])]);
    }

    /// <summary>Saving and capacity gain by link, sequence length and SLA factor.</summary>
    public static ReportTable Breakdown(IReadOnlyList<SplitGridCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        IEnumerable<IReadOnlyList<string>> By<T>(string label, Func<SplitGridCell, T> key, Func<T, string> name) =>
            cells.GroupBy(key).Select(g => (IReadOnlyList<string>)
                [$"{label} {name(g.Key)}", F(g.Average(c => c.ReductionVsServerOnlyPercent), "0.0") + "%", F(g.Average(c => c.CapacityGain), "0.00") + "x"]);
        return new ReportTable("Breakdown", ["breakdown", "server work saved vs server only", "capacity gain"],
        [
            .. By("link", c => c.Link, l => l),
            .. By("sequence tokens", c => c.SequenceTokens, t => I(t)),
            .. By("SLA x server-only latency:", c => c.SlaFactor, f => F(f, "0.##")),
        ]);
    }

    private static double GainOverGreedy(IEnumerable<SplitGridCell> cells) =>
        cells.Where(c => !double.IsNaN(c.GainOverGreedyPercent)).Select(c => c.GainOverGreedyPercent).DefaultIfEmpty(double.NaN).Average();

    private static List<ReportFact> Summary(IReadOnlyList<SplitGridCell> cells) =>
    [
        new("Models", string.Join(", ", cells.Select(c => c.Model).Distinct())),
        new("Devices", string.Join(", ", cells.Select(c => c.Device).Distinct())),
        new("Links", string.Join(", ", cells.Select(c => c.Link).Distinct())),
        new("Sequence lengths", string.Join(", ", cells.Select(c => c.SequenceTokens).Distinct().Select(t => I(t))) + " tokens"),
        new("SLAs", string.Join(", ", cells.Select(c => c.SlaFactor).Distinct().Select(f => F(f, "0.##"))) + " x the server-only latency"),
        new("Request types", I(cells.Count)),
    ];

    /// <summary>Devices as categories, one series per model: the mean of <paramref name="value"/> over the rest of the grid.</summary>
    private static (string[] Devices, string[] Models, double[][] Values) ByDeviceAndModel(IReadOnlyList<SplitGridCell> cells, Func<IEnumerable<SplitGridCell>, double> value)
    {
        var devices = cells.Select(c => c.Device).Distinct().ToArray();
        var models = cells.Select(c => c.Model).Distinct().ToArray();
        return (devices, models, [.. models.Select(m => devices.Select(d => value(cells.Where(c => c.Model == m && c.Device == d))).ToArray())]);
    }

    private static BarChart SavingChart(IReadOnlyList<SplitGridCell> cells)
    {
        var (devices, models, values) = ByDeviceAndModel(cells, g => g.Average(c => c.ReductionVsServerOnlyPercent));
        var points = models.SelectMany((m, i) => devices.Select((d, j) => (Model: m, Device: d, Saved: values[i][j]))).ToArray();
        var most = points.MaxBy(p => p.Saved);
        var least = points.MinBy(p => p.Saved);
        var byDevice = devices.Select((d, j) => (Device: d, Mean: values.Average(v => v[j]))).OrderByDescending(x => x.Mean).ToArray();
        var alt = $"Offloading layers to a {most.Device} saves the most server work, {F(most.Saved, "0.0")}% below server only for {most.Model}; " +
            $"{least.Device} with {least.Model} the least, {F(least.Saved, "0.0")}%. Over the models, {byDevice[0].Device} saves {F(byDevice[0].Mean, "0.0")}% " +
            $"and {byDevice[^1].Device} {F(byDevice[^1].Mean, "0.0")}%.";
        return new BarChart("Server work saved against server only by device and model", alt, "client device", devices,
            new Axis("server work saved", "%", Min: 0), [.. models.Select((m, i) => new BarSeries(m, values[i]))]);
    }

    private static BarChart GreedyChart(IReadOnlyList<SplitGridCell> cells)
    {
        var (devices, models, values) = ByDeviceAndModel(cells, GainOverGreedy);
        var better = cells.Count(c => c.GainOverGreedyPercent > 0.01);
        var greedyMisses = cells.Count(c => double.IsNaN(c.GreedyWorkMs));
        string alt;
        if (better == 0) alt = $"The dynamic program matches greedy's server work in all {I(cells.Count - greedyMisses)} request types where greedy meets the SLA.";
        else
        {
            var top = cells.Where(c => !double.IsNaN(c.GainOverGreedyPercent)).MaxBy(c => c.GainOverGreedyPercent)!;
            alt = $"The dynamic program needs less server work than greedy in {I(better)} of {I(cells.Count)} request types, at most " +
                $"{F(top.GainOverGreedyPercent, "0.0")}% less ({top.Model} on {top.Device} over {top.Link}, {I(top.SequenceTokens)} tokens).";
        }
        if (greedyMisses > 0) alt += $" Greedy misses the SLA in {I(greedyMisses)} request types, which the means leave out.";
        return new BarChart("Gain over greedy by device and model", alt, "client device", devices, new Axis("server work saved against greedy", "%"),
            [.. models.Select((m, i) => new BarSeries(m, values[i]))]);
    }
}
