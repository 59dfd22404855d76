namespace Stamen.Reporting.Svg;

/// <summary>Lines on two numeric axes; a step series is drawn as a staircase.</summary>
internal static class LineChartSvg
{
    public static string Render(LineChart chart)
    {
        var series = chart.Series ?? [];
        var frame = XyFrame.Fit(chart.X, chart.Y, [.. series.SelectMany(s => s.X ?? [])], [.. series.SelectMany(s => s.Y ?? [])]);
        var colours = Palette.Indexes(series.Select(s => s.Name ?? ""), out var names);
        var legend = names.Select((name, i) => new LegendEntry(name, Palette.For(i), Swatch.Line)).ToList();
        // The Data table and the tooltips name the points; the markers only show where the measured points are.

        var canvas = new SvgCanvas();
        frame.DrawAxes(canvas, chart.X, chart.Y);
        canvas.OpenPlot(frame.Area);
        for (var s = 0; s < series.Count; s++)
        {
            var style = Palette.For(colours[s]);
            canvas.OpenGroup("series", series[s].Name);
            foreach (var run in SeriesPath.Runs(frame, series[s].X ?? [], series[s].Y ?? []))
            {
                // A lone point has no line to draw: show it as a dot so it is not lost.
                if (run.Count == 1) canvas.Marker(MarkerShape.Circle, run[0].X, run[0].Y, 5, style.Colour, style.Colour);
                else canvas.Polyline(series[s].Step ? SeriesPath.Staircase(run) : run, style.Colour, style.Dash);
                if (series[s].Markers && run.Count > 1)
                    foreach (var point in run) canvas.Marker(style.Marker, point.X, point.Y, 7, style.Colour, "#ffffff");
            }
            canvas.CloseGroup();
        }
        canvas.ClosePlot();
        Legend.Draw(canvas, legend, frame.Area.Left, frame.LegendTop, SvgCanvas.Width - frame.Area.Left);
        return canvas.Document(frame.Height(legend), chart.Title, chart.AltText);
    }
}
