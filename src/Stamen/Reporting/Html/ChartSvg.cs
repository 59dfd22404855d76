using Stamen.Reporting.Svg;

namespace Stamen.Reporting.Html;

/// <summary>Draws one <see cref="Chart"/> as an inline SVG element, by its kind.</summary>
internal static class ChartSvg
{
    public static string Render(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return chart switch
        {
            LineChart line => LineChartSvg.Render(line),
            ScatterChart scatter => ScatterChartSvg.Render(scatter),
            BarChart bar => BarChartSvg.Render(bar),
            PlacementChart placement => PlacementChartSvg.Render(placement),
            MapChart map => MapChartSvg.Render(map),
            _ => throw new ArgumentException($"no renderer for chart kind {chart.GetType().Name}", nameof(chart)),
        };
    }
}
