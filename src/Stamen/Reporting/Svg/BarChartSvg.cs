namespace Stamen.Reporting.Svg;

/// <summary>Bars per category on a numeric y axis, side by side or stacked, with value labels where they fit.</summary>
internal static class BarChartSvg
{
    private const double PlotHeight = 280;
    private const double Top = 14;
    private const double Right = 20;
    private const double LabelFont = 10;
    private const int LongestCategory = 30;

    public static string Render(BarChart chart)
    {
        var categories = (chart.Categories ?? []).Select(c => SvgCanvas.Shorten(c ?? "", LongestCategory)).ToList();
        var series = chart.Series ?? [];
        var colours = Palette.Indexes(series.Select(s => s.Name ?? ""), out var names);
        var legend = names.Select((name, i) => new LegendEntry(name, Palette.For(i), Swatch.Box)).ToList();

        var width = SvgCanvas.Width - Axes.LeftOfPlot - Right;
        var band = width / Math.Max(1, categories.Count);
        // Category names wider than their band are set at an angle, which needs more room below the plot.
        var rotate = categories.Any(c => SvgCanvas.TextWidth(c) > band - 4);
        var labelDepth = rotate ? categories.Max(c => SvgCanvas.TextWidth(c)) * 0.6 + 14 : 18;
        var area = new PlotArea(Axes.LeftOfPlot, Top, width, PlotHeight);
        var y = AxisMap.Fit(chart.Y, StackEnds(chart, categories.Count), area.Bottom, area.Top, includeZero: true);

        var canvas = new SvgCanvas();
        Axes.Left(canvas, y, area, AxisMap.Title(chart.Y));
        DrawCategoryAxis(canvas, area, categories, band, rotate, labelDepth, chart.CategoryLabel ?? "");
        var baseline = y.IsLog ? y.Min : Math.Clamp(0, y.Min, y.Max);
        var groupWidth = band * 0.8;
        var barWidth = chart.Stacked ? groupWidth : groupWidth / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            double up = baseline, down = baseline;
            for (var s = 0; s < series.Count; s++)
            {
                var values = series[s].Values ?? [];
                var value = c < values.Count ? values[c] : double.NaN;
                if (!y.Accepts(value)) continue;
                double from, to;
                if (!chart.Stacked) (from, to) = (baseline, value);
                else if (value >= 0) (from, to, up) = (up, up + value, up + value);
                else (from, to, down) = (down, down + value, down + value);
                var left = area.Left + c * band + (band - groupWidth) / 2 + (chart.Stacked ? 0 : s * barWidth);
                var style = Palette.For(colours[s]);
                DrawBar(canvas, y, left, barWidth, from, to, style.Colour, $"{categories[c]} · {series[s].Name}: {NiceTicks.Short(value)}",
                    chart.Stacked, area);
            }
        }
        canvas.Line(area.Left, y.Map(baseline), area.Right, y.Map(baseline), SvgCanvas.AxisColour);
        var legendTop = area.Bottom + labelDepth + 26;
        Legend.Draw(canvas, legend, area.Left, legendTop, width);
        return canvas.Document(legendTop + Legend.Height(legend, width) + 6, chart.Title, chart.AltText);
    }

    /// <summary>Values the y axis must show: each bar's value, or for stacks the running totals above and below zero.</summary>
    private static List<double> StackEnds(BarChart chart, int categories)
    {
        var ends = new List<double>();
        for (var c = 0; c < categories; c++)
        {
            double up = 0, down = 0;
            foreach (var series in chart.Series ?? [])
            {
                var value = c < (series.Values ?? []).Count ? series.Values![c] : double.NaN;
                if (!double.IsFinite(value)) continue;
                if (!chart.Stacked) ends.Add(value);
                else if (value >= 0) ends.Add(up += value);
                else ends.Add(down += value);
            }
        }
        return ends;
    }

    private static void DrawBar(SvgCanvas canvas, AxisMap y, double left, double width, double from, double to, string colour, string tooltip,
        bool stacked, PlotArea area)
    {
        var top = Math.Clamp(Math.Min(y.Map(from), y.Map(to)), area.Top, area.Bottom);
        var bottom = Math.Clamp(Math.Max(y.Map(from), y.Map(to)), area.Top, area.Bottom);
        canvas.Rect(left + 0.5, top, width - 1, bottom - top, colour, "mark", tooltip);
        var label = NiceTicks.Short(to - from);
        if (SvgCanvas.TextWidth(label, LabelFont) > width) return;
        if (stacked)
        {
            if (bottom - top >= LabelFont + 3)
                canvas.Text(left + width / 2, (top + bottom) / 2 + LabelFont * 0.35, label, "middle", fill: Palette.TextOn(colour), fontSize: LabelFont);
        }
        else if (to >= from && top - LabelFont - 2 >= 0)
            canvas.Text(left + width / 2, top - 3, label, "middle", fontSize: LabelFont);
        else if (to < from)
            canvas.Text(left + width / 2, bottom + LabelFont + 1, label, "middle", fontSize: LabelFont);
    }

    private static void DrawCategoryAxis(SvgCanvas canvas, PlotArea area, List<string> categories, double band, bool rotate, double labelDepth,
        string title)
    {
        canvas.OpenGroup("axis x");
        for (var c = 0; c < categories.Count; c++)
        {
            var middle = area.Left + (c + 0.5) * band;
            if (rotate) canvas.Text(middle, area.Bottom + 14, categories[c], "end", -35);
            else canvas.Text(middle, area.Bottom + 16, categories[c], "middle");
        }
        canvas.Text(area.Left + area.Width / 2, area.Bottom + labelDepth + 18, title, "middle");
        canvas.CloseGroup();
    }
}
