using System.Net;
using System.Text;

namespace Stamen.Reporting.Html;

/// <summary>
/// Renders a <see cref="Report"/> as one self-contained HTML file: inline CSS, charts as inline SVG, no script or font
/// from the network, so it opens offline. Deterministic: the same report gives the same bytes.
/// </summary>
public static class HtmlReport
{
    public static string Render(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"stamen\">\n")
            .Append("<title>").Append(Text(report.Title)).Append("</title>\n<style>").Append(Styles).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(Text(report.Title)).Append("</h1>\n")
            .Append("<p class=\"command\"><code>").Append(Text(report.Command)).Append("</code></p>\n");
        if (report.Summary.Count > 0)
        {
            html.Append("<section class=\"summary\"><h2>Scenario</h2>\n<dl>\n");
            foreach (var fact in report.Summary)
                html.Append("<dt>").Append(Text(fact.Name)).Append("</dt><dd>").Append(Text(fact.Value)).Append("</dd>\n");
            html.Append("</dl>\n</section>\n");
        }
        foreach (var section in report.Sections)
        {
            html.Append("<section>\n<h2>").Append(Text(section.Title)).Append("</h2>\n");
            if (!string.IsNullOrWhiteSpace(section.Text)) html.Append("<p>").Append(Text(section.Text)).Append("</p>\n");
            foreach (var table in section.Tables) AppendTable(html, table);
            foreach (var chart in section.Charts) AppendFigure(html, chart);
            html.Append("</section>\n");
        }
        if (report.Timings is { } timings)
        {
            html.Append("<section class=\"timings\">\n<h2>Timings (wall clock)</h2>\n")
                .Append("<p>Measured on the machine that ran the command; they differ from run to run. Everything above is the same for the same inputs and seed.</p>\n");
            AppendTable(html, timings);
            html.Append("</section>\n");
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendTable(StringBuilder html, ReportTable table)
    {
        html.Append("<table>\n<caption>").Append(Text(table.Title)).Append("</caption>\n<thead><tr>");
        foreach (var column in table.Columns) html.Append("<th scope=\"col\">").Append(Text(column)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append("<td>").Append(Text(cell)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>A chart as a figure: its title and finding above the picture (read first, as a chart's heading), then its numbers as a table.</summary>
    private static void AppendFigure(StringBuilder html, Chart chart)
    {
        html.Append("<figure class=\"chart\">\n");
        html.Append("<figcaption>").Append(Text(chart.Title)).Append("</figcaption>\n");
        html.Append("<p class=\"alt\">").Append(Text(chart.AltText)).Append("</p>\n");
        html.Append(ChartSvg.Render(chart)).Append('\n');
        // The chart's numbers, collapsed: the text alternative for what the picture shows.
        html.Append("<details class=\"data\"><summary>Data</summary>\n");
        foreach (var table in ChartData.Tables(chart)) AppendTable(html, table);
        html.Append("</details>\n");
        html.Append("</figure>\n");
    }

    /// <summary>Text escaped for HTML element content and attribute values.</summary>
    internal static string Text(string value) => WebUtility.HtmlEncode(value);

    private const string Styles = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
        main{max-width:1100px;margin:0 auto;padding:1.5rem}
        h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
        .command code{background:#f6f8fa;padding:.2rem .4rem;border-radius:4px;font-size:.85rem}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
        table{border-collapse:collapse;margin:1rem 0;font-size:.85rem;font-variant-numeric:tabular-nums}
        caption{text-align:left;font-weight:600;padding:.3rem 0}
        th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}
        thead th{background:#f6f8fa}
        figure.chart{margin:1.5rem 0}figure.chart svg{width:100%;max-width:900px;height:auto}
        figcaption{font-weight:600;margin-top:.3rem}.alt{color:#57606a;font-size:.85rem;margin:.2rem 0}
        details.data{font-size:.85rem}details.data summary{cursor:pointer;color:#57606a}details.data table{margin:.5rem 0}
        """;
}
