using System.Globalization;
using System.Text;
using Spectre.Console;
using Stamen.Experiments;

namespace Stamen.Cli.Rendering;

/// <summary>The split grid summarised per model and device, and broken down by link, length and SLA.</summary>
internal static class SplitGridView
{
    private static readonly string[] Headers = ["model", "device", "server work saved vs server only", "gain over greedy", "DP strictly better than greedy", "capacity gain", "most switches"];

    public static Table Table(IReadOnlyList<SplitGridCell> cells)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("split placements over the grid (means per model and device)");
        foreach (var h in Headers) table.AddColumn(new TableColumn(h).NoWrap());
        foreach (var row in Rows(cells)) table.AddRow([.. row.Select(Markup.Escape)]);
        return table;
    }

    public static string Markdown(IReadOnlyList<SplitGridCell> cells)
    {
        var b = new StringBuilder();
        b.AppendLine("| " + string.Join(" | ", Headers) + " |");
        b.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var row in Rows(cells)) b.AppendLine("| " + string.Join(" | ", row) + " |");
        b.AppendLine();
        b.AppendLine("| breakdown | server work saved vs server only | capacity gain |");
        b.AppendLine("|---|---:|---:|");
        void By<T>(string label, Func<SplitGridCell, T> key)
        {
            foreach (var g in cells.GroupBy(key))
                b.AppendLine(CultureInfo.InvariantCulture, $"| {label} {g.Key} | {g.Average(c => c.ReductionVsServerOnlyPercent):0.0}% | {g.Average(c => c.CapacityGain):0.00}x |");
        }
        By("link", c => c.Link);
        By("sequence tokens", c => c.SequenceTokens);
        By("SLA x server-only latency:", c => c.SlaFactor);
        return b.ToString();
    }

    private static IEnumerable<string[]> Rows(IReadOnlyList<SplitGridCell> cells) =>
        cells.GroupBy(c => (c.Model, c.Device)).Select(g => new[]
        {
            g.Key.Model,
            g.Key.Device,
            F(g.Average(c => c.ReductionVsServerOnlyPercent), "0.0") + "%",
            F(g.Where(c => !double.IsNaN(c.GainOverGreedyPercent)).Select(c => c.GainOverGreedyPercent).DefaultIfEmpty(double.NaN).Average(), "0.0") + "%",
            $"{g.Count(c => c.GainOverGreedyPercent > 0.01)} of {g.Count()}",
            F(g.Average(c => c.CapacityGain), "0.00") + "x",
            g.Max(c => c.DpSwitches).ToString(CultureInfo.InvariantCulture),
        });

    private static string F(double v, string format) => ConsoleOut.F(v, format);
}
