using System.Globalization;
using System.Text;
using Spectre.Console;
using Stamen.Experiments;
using Stamen.Simulation.Metrics;
using static Stamen.Cli.Rendering.ConsoleOut;

namespace Stamen.Cli.Rendering;

/// <summary>The study grid as a console table and as Markdown for docs/.</summary>
internal static class GeoStudyView
{
    public static Table Table(IReadOnlyList<GeoStudyCell> cells)
    {
        var algorithms = cells[0].Results.Results.Select(r => r.Algorithm).ToList();
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("scenario", "lambda/s", "l_max", "fixed delays");
        foreach (var a in algorithms) table.AddColumn(new TableColumn(Markup.Escape($"{a} s/token")).RightAligned());
        foreach (var a in algorithms.Skip(1)) table.AddColumn(new TableColumn(Markup.Escape($"{a} reduction %")).RightAligned());
        foreach (var c in cells)
            table.AddRow(Row(c, algorithms).Select(Markup.Escape).ToArray());
        return table;
    }

    public static string Markdown(IReadOnlyList<GeoStudyCell> cells)
    {
        var algorithms = cells[0].Results.Results.Select(r => r.Algorithm).ToList();
        var header = new List<string> { "scenario", "lambda/s", "l_max", "fixed delays" };
        header.AddRange(algorithms.Select(a => $"{a} s/token"));
        header.AddRange(algorithms.Skip(1).Select(a => $"{a} reduction %"));
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", header).AppendLine(" |");
        sb.Append('|').AppendJoin("", header.Select(_ => "---|")).AppendLine();
        foreach (var c in cells)
            sb.Append("| ").AppendJoin(" | ", Row(c, algorithms)).AppendLine(" |");
        return sb.ToString();
    }

    private static readonly string[] LongHeader =
        ["scenario", "lambda/s", "l_max", "fixed delays", "algorithm", "s/token", "first token s", "s/token after 1st", "reduction vs first %"];

    /// <summary>One row per cell and algorithm: for many algorithms, where one row per cell would be too wide.</summary>
    public static Table LongTable(IReadOnlyList<GeoStudyCell> cells)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in LongHeader) table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var row in LongRows(cells)) table.AddRow(row.Select(Markup.Escape).ToArray());
        return table;
    }

    public static string LongMarkdown(IReadOnlyList<GeoStudyCell> cells)
    {
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", LongHeader).AppendLine(" |");
        sb.Append('|').AppendJoin("", LongHeader.Select(_ => "---|")).AppendLine();
        foreach (var row in LongRows(cells))
            sb.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        return sb.ToString();
    }

    private static IEnumerable<List<string>> LongRows(IReadOnlyList<GeoStudyCell> cells)
    {
        foreach (var c in cells)
            foreach (var r in c.Results.Results)
            {
                var perToken = r.Metric(SwarmMetricNames.MeanTimePerToken);
                yield return
                [
                    c.Scenario, c.RatePerSec.ToString("0.##", CultureInfo.InvariantCulture), c.OutputTokens.ToString(CultureInfo.InvariantCulture),
                    c.FixedDelays ? "published" : "none", r.Algorithm,
                    $"{F(perToken.Mean, "0.000")} ({F(perToken.HalfWidth95, "0.000")})",
                    F(r.Metric(SwarmMetricNames.MeanFirstToken).Mean, "0.00"),
                    F(r.Metric(SwarmMetricNames.MeanPerTokenAfterFirst).Mean, "0.000"),
                    r == c.Results.Results[0] ? "-" : F(c.ReductionPercent(r.Algorithm), "0.0"),
                ];
            }
    }

    private static List<string> Row(GeoStudyCell c, List<string> algorithms)
    {
        var row = new List<string>
        {
            c.Scenario, c.RatePerSec.ToString("0.##", CultureInfo.InvariantCulture),
            c.OutputTokens.ToString(CultureInfo.InvariantCulture), c.FixedDelays ? "published" : "none",
        };
        foreach (var a in algorithms)
        {
            var m = c.Results.Results.First(r => r.Algorithm == a).Metric(SwarmMetricNames.MeanTimePerToken);
            row.Add($"{F(m.Mean, "0.000")} ({F(m.HalfWidth95, "0.000")})");
        }
        foreach (var a in algorithms.Skip(1))
            row.Add(F(c.ReductionPercent(a), "0.0"));
        return row;
    }
}
