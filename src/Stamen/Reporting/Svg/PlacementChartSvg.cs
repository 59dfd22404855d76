using System.Globalization;

namespace Stamen.Reporting.Svg;

/// <summary>
/// The placement strip: one row per server, a bar over the blocks it holds coloured by GPU kind, and how many
/// sessions it fits at the row's end. Gaps and overlaps in block coverage show as white and stacked bars.
/// </summary>
internal static class PlacementChartSvg
{
    private const double Top = 10;
    private const int LongestName = 24;

    public static string Render(PlacementChart chart)
    {
        var rows = chart.Servers ?? [];
        // Rows shrink for large swarms so a 100-server strip stays about a screen tall.
        var rowHeight = rows.Count <= 30 ? 18 : Math.Max(9, 540.0 / rows.Count);
        var fontSize = Math.Min(SvgCanvas.FontSize, rowHeight - 1);
        var names = rows.Select(r => SvgCanvas.Shorten(r.Server ?? "", LongestName)).ToList();
        var sessions = rows.Select(r => Sessions(r.SessionCapacity)).ToList();
        var left = Math.Max(Axes.LeftOfPlot, names.Select(n => SvgCanvas.TextWidth(n, fontSize)).DefaultIfEmpty(0).Max() + 12);
        var right = sessions.Select(s => SvgCanvas.TextWidth(s, fontSize)).DefaultIfEmpty(0).Max() + 14;
        var area = new PlotArea(left, Top, SvgCanvas.Width - left - right, Math.Max(1, rows.Count) * rowHeight);
        var x = AxisMap.Fit(new Axis("Transformer block", null, Min: 0, Max: chart.Blocks), [], area.Left, area.Right);
        var colours = Palette.Indexes(rows.Select(r => r.Gpu ?? ""), out var gpus);
        var legend = gpus.Select((gpu, i) => new LegendEntry(gpu, Palette.For(i), Swatch.Box)).ToList();

        var canvas = new SvgCanvas();
        Axes.Bottom(canvas, x, area, "Transformer block (index; each bar is [start, end))");
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var top = area.Top + r * rowHeight;
            var baseline = top + rowHeight / 2 + fontSize * 0.35;
            canvas.Text(area.Left - 6, baseline, names[r], "end", fontSize: fontSize);
            var from = x.Map(Math.Clamp(row.Start, x.Min, x.Max));
            var to = x.Map(Math.Clamp(row.End, x.Min, x.Max));
            var colour = Palette.For(colours[r]).Colour;
            var tooltip = string.Create(CultureInfo.InvariantCulture,
                $"{row.Server}: blocks [{row.Start}, {row.End}) on {row.Gpu}, {sessions[r]}");
            canvas.Rect(from, top + rowHeight * 0.15, Math.Max(1, to - from), rowHeight * 0.7, colour, "mark", tooltip);
            canvas.Text(area.Right + 6, baseline, sessions[r], fontSize: fontSize, fill: SvgCanvas.AxisColour);
        }
        var legendTop = area.Bottom + Axes.BelowPlot;
        Legend.Draw(canvas, legend, area.Left, legendTop, SvgCanvas.Width - area.Left);
        return canvas.Document(legendTop + Legend.Height(legend, SvgCanvas.Width - area.Left) + 6, chart.Title, chart.AltText);
    }

    private static string Sessions(int capacity) =>
        string.Create(CultureInfo.InvariantCulture, $"{capacity} {(capacity == 1 ? "session" : "sessions")}");
}
