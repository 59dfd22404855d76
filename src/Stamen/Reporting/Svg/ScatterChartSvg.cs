using System.Globalization;

namespace Stamen.Reporting.Svg;

/// <summary>Markers on two numeric axes, optionally joined in order, labelled, and with the y = x diagonal.</summary>
internal static class ScatterChartSvg
{
    private const string DiagonalDash = "4 4";

    public static string Render(ScatterChart chart)
    {
        var series = chart.Series ?? [];
        // y = x is a straight line only when both axes share a scale; on mixed scales it is left out rather than drawn wrong.
        var diagonal = chart.Diagonal && chart.X.Scale == chart.Y.Scale;
        var frame = XyFrame.Fit(chart.X, chart.Y, [.. series.SelectMany(s => s.X ?? [])], [.. series.SelectMany(s => s.Y ?? [])], diagonal);
        var colours = Palette.Indexes(series.Select(s => s.Name ?? ""), out var names);
        var legend = names.Select((name, i) => new LegendEntry(name, Palette.For(i), Swatch.Marker, "#ffffff")).ToList();
        if (diagonal) legend.Add(new LegendEntry("y = x", new SeriesStyle(Palette.Muted, DiagonalDash, MarkerShape.Circle), Swatch.Line));

        var canvas = new SvgCanvas();
        frame.DrawAxes(canvas, chart.X, chart.Y);
        canvas.OpenPlot(frame.Area);
        if (diagonal) DrawDiagonal(canvas, frame);
        var labelled = new List<(double Left, double Top, double Right, double Bottom)>();
        for (var s = 0; s < series.Count; s++) DrawSeries(canvas, frame, series[s], Palette.For(colours[s]), labelled);
        canvas.ClosePlot();
        Legend.Draw(canvas, legend, frame.Area.Left, frame.LegendTop, SvgCanvas.Width - frame.Area.Left);
        return canvas.Document(frame.Height(legend), chart.Title, chart.AltText);
    }

    /// <summary>Draws one series; a point label that would overlap one already drawn is left out (the marker's tooltip and the Data table keep it).</summary>
    private static void DrawSeries(SvgCanvas canvas, XyFrame frame, PointSeries series, SeriesStyle style,
        List<(double Left, double Top, double Right, double Bottom)> labelled)
    {
        var xs = series.X ?? [];
        var ys = series.Y ?? [];
        canvas.OpenGroup("series", series.Name);
        if (series.Connect)
            foreach (var run in SeriesPath.Runs(frame, xs, ys).Where(r => r.Count > 1))
                canvas.Polyline(run, style.Colour, style.Dash, 1.4);
        var count = Math.Min(xs.Count, ys.Count);
        for (var i = 0; i < count; i++)
        {
            if (frame.Place(xs[i], ys[i]) is not { } p) continue;
            var label = series.Labels is { } labels && i < labels.Count ? labels[i] : null;
            var tooltip = $"{(string.IsNullOrEmpty(label) ? series.Name : $"{series.Name}: {label}")} ({Number(xs[i])}, {Number(ys[i])})";
            canvas.Marker(style.Marker, p.X, p.Y, 8, style.Colour, "#ffffff", tooltip);
            if (!string.IsNullOrEmpty(label))
            {
                // Labels near the right edge go to the left of their point so they stay inside the plot.
                var width = SvgCanvas.TextWidth(label, 10);
                var toLeft = p.X + 6 + width > frame.Area.Width;
                var box = (Left: toLeft ? p.X - 6 - width : p.X + 6, Top: p.Y - 16, Right: toLeft ? p.X - 6 : p.X + 6 + width, Bottom: p.Y - 4);
                if (labelled.Any(b => b.Left < box.Right && box.Left < b.Right && b.Top < box.Bottom && box.Top < b.Bottom)) continue;
                labelled.Add(box);
                canvas.Text(toLeft ? p.X - 6 : p.X + 6, p.Y - 6, label, toLeft ? "end" : "start", fontSize: 10);
            }
        }
        canvas.CloseGroup();
    }

    private static void DrawDiagonal(SvgCanvas canvas, XyFrame frame)
    {
        var from = Math.Max(frame.X.Min, frame.Y.Min);
        var to = Math.Min(frame.X.Max, frame.Y.Max);
        if (!(from < to) || frame.Place(from, from) is not { } a || frame.Place(to, to) is not { } b) return;
        canvas.OpenGroup("diagonal");
        canvas.Line(a.X, a.Y, b.X, b.Y, Palette.Muted, 1.2, DiagonalDash);
        canvas.CloseGroup();
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
