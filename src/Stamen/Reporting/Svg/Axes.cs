namespace Stamen.Reporting.Svg;

/// <summary>Axis lines, ticks, grid lines, tick labels and axis titles around a plot area.</summary>
internal static class Axes
{
    /// <summary>Vertical space below the plot for tick labels and the axis title.</summary>
    public const double BelowPlot = 44;

    /// <summary>Horizontal space left of the plot for tick labels and the rotated axis title.</summary>
    public const double LeftOfPlot = 66;

    /// <summary>The y axis; the rotated title is centred on x = <paramref name="titleX"/>.</summary>
    public static void Left(SvgCanvas canvas, AxisMap y, PlotArea area, string title, double titleX = 14)
    {
        canvas.OpenGroup("axis y");
        foreach (var tick in y.Ticks)
        {
            var py = y.Map(tick);
            canvas.Line(area.Left, py, area.Right, py, SvgCanvas.GridColour);
            canvas.Line(area.Left - 4, py, area.Left, py, SvgCanvas.AxisColour);
            canvas.Text(area.Left - 7, py + 4, y.Label(tick), "end", fill: SvgCanvas.AxisColour);
        }
        canvas.Line(area.Left, area.Top, area.Left, area.Bottom, SvgCanvas.AxisColour);
        var middle = area.Top + area.Height / 2;
        canvas.Text(titleX, middle, title, "middle", -90);
        canvas.CloseGroup();
    }

    public static void Bottom(SvgCanvas canvas, AxisMap x, PlotArea area, string title)
    {
        canvas.OpenGroup("axis x");
        foreach (var tick in x.Ticks)
        {
            var px = x.Map(tick);
            canvas.Line(px, area.Top, px, area.Bottom, SvgCanvas.GridColour);
            canvas.Line(px, area.Bottom, px, area.Bottom + 4, SvgCanvas.AxisColour);
            canvas.Text(px, area.Bottom + 16, x.Label(tick), "middle", fill: SvgCanvas.AxisColour);
        }
        canvas.Line(area.Left, area.Bottom, area.Right, area.Bottom, SvgCanvas.AxisColour);
        canvas.Text(area.Left + area.Width / 2, area.Bottom + 36, title, "middle");
        canvas.CloseGroup();
    }
}
