namespace Stamen.Reporting.Svg;

/// <summary>
/// The frame shared by line and scatter charts: a fixed-size plot area, both axes fitted to the series' values, and
/// the legend below. Draws the axes; the chart draws its marks in <see cref="Area"/>-relative pixels.
/// </summary>
internal sealed class XyFrame
{
    private const double PlotHeight = 300;
    private const double Top = 14;
    private const double Right = 20;

    public XyFrame(PlotArea area, AxisMap x, AxisMap y)
    {
        Area = area;
        X = x;
        Y = y;
    }

    public PlotArea Area { get; }
    public AxisMap X { get; }
    public AxisMap Y { get; }

    /// <summary>
    /// Axes fitted to the values; with <paramref name="sameScale"/> both get the union of x and y values (a y = x
    /// diagonal then runs corner to corner, and equal numbers sit at equal distances on both axes).
    /// </summary>
    public static XyFrame Fit(Axis x, Axis y, IReadOnlyList<double> xs, IReadOnlyList<double> ys, bool sameScale = false)
    {
        var area = new PlotArea(Axes.LeftOfPlot, Top, SvgCanvas.Width - Axes.LeftOfPlot - Right, PlotHeight);
        // Marks are drawn inside the nested plot svg, so axes map to plot-relative pixels; y grows downwards.
        var xValues = sameScale ? xs.Concat(ys).ToList() : xs;
        var yValues = sameScale ? xValues : ys;
        var xMap = AxisMap.Fit(x, xValues, 0, area.Width);
        var yMap = AxisMap.Fit(y, yValues, area.Height, 0);
        return new XyFrame(area, xMap, yMap);
    }

    public double LegendTop => Area.Bottom + Axes.BelowPlot;

    /// <summary>The pixel of a data point, or null when either coordinate cannot be placed (NaN, infinite, ≤ 0 on a log axis).</summary>
    public Pixel? Place(double x, double y) =>
        X.Accepts(x) && Y.Accepts(y) ? new Pixel(X.Map(x), Y.Map(y)) : null;

    /// <summary>Axes in chart pixels (the maps are plot-relative, so they are shifted by the plot's corner).</summary>
    public void DrawAxes(SvgCanvas canvas, Axis x, Axis y)
    {
        canvas.Raw("<g transform=\"translate(" + SvgCanvas.N(Area.Left) + "," + SvgCanvas.N(Area.Top) + ")\">");
        var local = new PlotArea(0, 0, Area.Width, Area.Height);
        Axes.Left(canvas, Y, local, AxisMap.Title(y), 14 - Area.Left);
        Axes.Bottom(canvas, X, local, AxisMap.Title(x));
        canvas.Raw("</g>");
    }

    /// <summary>Height of the whole chart with the legend drawn at <see cref="LegendTop"/>.</summary>
    public double Height(IReadOnlyList<LegendEntry> legend) => LegendTop + Legend.Height(legend, SvgCanvas.Width - Area.Left) + 6;
}
