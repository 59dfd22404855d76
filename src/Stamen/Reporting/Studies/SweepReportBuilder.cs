using Stamen.Sweeps;
using static Stamen.Reporting.ReportNumber;

namespace Stamen.Reporting.Studies;

/// <summary>
/// `stamen sweep report` as a <see cref="Report"/>: every cell and algorithm with the mean and 95% half-width of the
/// chosen metrics over the runs in the store, and one bar chart per metric (cells by algorithm). Pure: same store rows,
/// same report.
/// </summary>
public static class SweepReportBuilder
{
    /// <summary>Cells beyond this are left out of the charts (the table has them all).</summary>
    public const int MaxChartCells = 48;

    public static Report Build(SweepPlan plan, IReadOnlyList<SweepCellSummary> cells, IReadOnlyList<string> metrics, string store, string command)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(metrics);
        var d = plan.Definition;
        var found = cells.Sum(c => c.Algorithms.Sum(a => (long)a.Runs));
        var summary = new List<ReportFact>
        {
            new("sweep", d.Name),
            new("family", d.Family),
            new("cells", I(plan.Cells.Count)),
            new("algorithms", string.Join(", ", plan.Cells.SelectMany(c => c.Algorithms).Distinct())),
            new("runs found", $"{found:N0} of {plan.RunCount:N0}"),
            new("store", store),
        };
        var charts = new List<Chart>();
        var shown = cells.Take(MaxChartCells).ToList();
        var algorithms = shown.SelectMany(c => c.Algorithms.Select(a => a.Algorithm)).Distinct().ToList();
        foreach (var metric in metrics)
            charts.Add(new BarChart($"{metric} by cell", $"Mean {metric} over runs for each cell and algorithm", "cell",
                [.. shown.Select(c => c.Cell.Describe(d))], new Axis(metric, null),
                [.. algorithms.Select(a => new BarSeries(a, [.. shown.Select(c => c.Algorithms.FirstOrDefault(x => x.Algorithm == a)?.Metric(metric)?.Mean ?? double.NaN)]))]));
        var text = cells.Count > MaxChartCells
            ? $"Mean over runs (95% confidence half-width). The charts show the first {MaxChartCells} of {cells.Count} cells; the table has them all."
            : "Mean over runs (95% confidence half-width).";
        var sections = new List<ReportSection> { new("Results", text, [Table(plan, cells, metrics)], charts) };
        return new Report("sweep", $"Sweep {d.Name}", command, summary, sections);
    }

    /// <summary>One row per cell and algorithm: the cell's axis values, the runs found and each metric's mean (half-width).</summary>
    public static ReportTable Table(SweepPlan plan, IReadOnlyList<SweepCellSummary> cells, IReadOnlyList<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(metrics);
        var d = plan.Definition;
        var bases = d.Bases.Count > 1;
        IReadOnlyList<string> columns = [.. bases ? ["base"] : Array.Empty<string>(), .. d.Axes.Select(a => a.Name), "algorithm", "runs", .. metrics];
        var rows = new List<IReadOnlyList<string>>();
        foreach (var c in cells)
            foreach (var a in c.Algorithms)
                rows.Add([.. bases ? [c.Cell.Base.Label] : Array.Empty<string>(), .. c.Cell.Labels, a.Algorithm, $"{I(a.Runs)}/{I(a.ExpectedRuns)}",
                    .. metrics.Select(m => a.Metric(m) is { } v ? $"{Number(v.Mean)} ({Number(v.HalfWidth95)})" : "")]);
        return new ReportTable("Every cell", columns, rows);
    }

    /// <summary>Four significant digits, as the tables print them.</summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString(Math.Abs(value) >= 1000 ? "0" : "G4", System.Globalization.CultureInfo.InvariantCulture);
}
