using System.Net;
using System.Text.Json;
using Stamen.Cli.Rendering;
using Stamen.Reporting;
using Stamen.Reporting.Html;

namespace Stamen.Tests.Reporting;

/// <summary>What every report must hold, whichever command built it.</summary>
internal static class ReportAssert
{
    public static IEnumerable<Chart> Charts(Report report) => report.Sections.SelectMany(s => s.Charts);

    public static T Chart<T>(Report report, string titleStart) where T : Chart =>
        Assert.Single(Charts(report).OfType<T>(), c => c.Title.StartsWith(titleStart, StringComparison.Ordinal));

    /// <summary>Titles and text alternatives present and distinct, axes with units, tables rectangular, series as long as their axes, few points.</summary>
    public static void WellFormed(Report report)
    {
        Assert.NotEmpty(report.Summary);
        var charts = Charts(report).ToList();
        Assert.NotEmpty(charts);
        Assert.Equal(charts.Count, charts.Select(c => c.Title).Distinct().Count());
        foreach (var chart in charts)
        {
            Assert.False(string.IsNullOrWhiteSpace(chart.Title));
            Assert.False(string.IsNullOrWhiteSpace(chart.AltText), chart.Title);
            switch (chart)
            {
                case LineChart line:
                    Assert.All((Axis[])[line.X, line.Y], a => Assert.False(string.IsNullOrEmpty(a.Unit), chart.Title));
                    Assert.All(line.Series, s =>
                    {
                        Assert.Equal(s.X.Count, s.Y.Count);
                        Assert.InRange(s.X.Count, 0, Cdf.MaxPoints);
                    });
                    break;
                case ScatterChart scatter:
                    Assert.All(scatter.Series, s => Assert.Equal(s.X.Count, s.Y.Count));
                    break;
                case BarChart bar:
                    Assert.False(string.IsNullOrEmpty(bar.Y.Unit), chart.Title);
                    Assert.All(bar.Series, s => Assert.Equal(bar.Categories.Count, s.Values.Count));
                    break;
            }
        }
        foreach (var table in report.Sections.SelectMany(s => s.Tables))
            Assert.All(table.Rows, r => Assert.Equal(table.Columns.Count, r.Count));
    }

    /// <summary>
    /// What `--report HTML --json JSON` must leave: JSON carries the report as <c>report</c>, of <paramref name="kind"/>, and
    /// HTML shows every chart's title and is that report rendered, byte for byte. Returns the report.
    /// </summary>
    public static Report SavedBeside(string json, string html, string kind)
    {
        var page = File.ReadAllText(html);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.True(doc.RootElement.TryGetProperty("report", out var saved), "no report in the JSON");
        var report = saved.Deserialize<Report>(JsonOutput.Options)!;
        Assert.Equal(kind, report.Kind);
        var charts = Charts(report).ToList();
        Assert.NotEmpty(charts);
        Assert.All(charts, c => Assert.Contains(WebUtility.HtmlEncode(c.Title), page, StringComparison.Ordinal));
        Assert.Equal(page, HtmlReport.Render(report));
        return report;
    }

    /// <summary>A CDF: x and y non-decreasing, y in (0, 1], ending at 1.</summary>
    public static void IsCdf(XySeries s)
    {
        Assert.True(s.Step, s.Name);
        Assert.NotEmpty(s.Y);
        for (var i = 1; i < s.X.Count; i++)
        {
            Assert.True(s.X[i] >= s.X[i - 1], $"{s.Name}: x falls at {i}");
            Assert.True(s.Y[i] >= s.Y[i - 1], $"{s.Name}: y falls at {i}");
        }
        Assert.All(s.Y, y => Assert.InRange(y, 0, 1));
        Assert.Equal(1.0, s.Y[^1], 12);
    }
}
