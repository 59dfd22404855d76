using System.Globalization;

namespace Stamen.Reporting.Html;

/// <summary>
/// A chart's numbers as tables: the text alternative that carries everything the picture does, for screen readers,
/// for copying into a spreadsheet, and for checking a point the eye cannot read off exactly.
/// </summary>
internal static class ChartData
{
    public static IReadOnlyList<ReportTable> Tables(Chart chart) => chart switch
    {
        LineChart line => [Points(line.Title, line.X, line.Y, (line.Series ?? []).Select(s => (s.Name, s.X, s.Y, (IReadOnlyList<string>?)null)))],
        ScatterChart scatter => [Points(scatter.Title, scatter.X, scatter.Y, (scatter.Series ?? []).Select(s => (s.Name, s.X, s.Y, s.Labels)))],
        BarChart bar => [Bars(bar)],
        PlacementChart placement => [Placement(placement)],
        MapChart map => Map(map),
        _ => [],
    };

    private static ReportTable Points(string title, Axis x, Axis y,
        IEnumerable<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<string>? Labels)> series)
    {
        var list = series.ToList();
        var labelled = list.Any(s => s.Labels is not null);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (name, xs, ys, labels) in list)
        {
            var count = Math.Min(xs?.Count ?? 0, ys?.Count ?? 0);
            for (var i = 0; i < count; i++)
            {
                var row = new List<string> { name ?? "" };
                if (labelled) row.Add(labels is not null && i < labels.Count ? labels[i] : "");
                row.Add(Number(xs![i]));
                row.Add(Number(ys![i]));
                rows.Add(row);
            }
        }
        List<string> columns = labelled ? ["series", "point", Svg.AxisMap.Title(x), Svg.AxisMap.Title(y)] : ["series", Svg.AxisMap.Title(x), Svg.AxisMap.Title(y)];
        return new ReportTable(title, columns, rows);
    }

    private static ReportTable Bars(BarChart bar)
    {
        var series = bar.Series ?? [];
        var columns = new List<string> { bar.CategoryLabel ?? "" };
        columns.AddRange(series.Select(s => s.Name ?? ""));
        var rows = (bar.Categories ?? []).Select((category, c) => (IReadOnlyList<string>)
            [category ?? "", .. series.Select(s => s.Values is { } v && c < v.Count ? Number(v[c]) : "")]).ToList();
        return new ReportTable($"{bar.Title} ({Svg.AxisMap.Title(bar.Y)})", columns, rows);
    }

    private static ReportTable Placement(PlacementChart chart) => new(chart.Title,
        ["server", "GPU", "first block", "end block (exclusive)", "sessions"],
        [.. (chart.Servers ?? []).Select(r => (IReadOnlyList<string>)[r.Server ?? "", r.Gpu ?? "", Integer(r.Start), Integer(r.End), Integer(r.SessionCapacity)])]);

    private static IReadOnlyList<ReportTable> Map(MapChart map)
    {
        var nodes = map.Nodes ?? [];
        var nodeTable = new ReportTable($"{map.Title}: nodes", ["node", "role", "latitude (°)", "longitude (°)"],
            [.. nodes.Select(n => (IReadOnlyList<string>)[n.Name ?? "", n.Role.ToString().ToLowerInvariant(), Number(n.Latitude), Number(n.Longitude)])]);
        var routeTable = new ReportTable($"{map.Title}: routes", ["route", "path"],
            [.. (map.Routes ?? []).Select(r => (IReadOnlyList<string>)[r.Name ?? "",
                string.Join(" → ", (r.Path ?? []).Select(i => i >= 0 && i < nodes.Count ? nodes[i].Name : $"#{Integer(i)}"))])]);
        return (map.Routes ?? []).Count == 0 ? [nodeTable] : [nodeTable, routeTable];
    }

    /// <summary>Six significant digits: exact enough to check a point, short enough to read.</summary>
    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);
}
