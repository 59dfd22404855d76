namespace Stamen.Reporting.Html;

/// <summary>Draws one <see cref="Chart"/> as an inline SVG element.</summary>
internal static class ChartSvg
{
    public static string Render(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        // Placeholder frame until the chart module lands: title and text alternative only.
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 720 60\" width=\"720\" height=\"60\"><title>{HtmlReport.Text(chart.Title)}</title>" +
            $"<desc>{HtmlReport.Text(chart.AltText)}</desc><text x=\"8\" y=\"30\">{HtmlReport.Text(chart.Title)}</text></svg>";
    }
}
