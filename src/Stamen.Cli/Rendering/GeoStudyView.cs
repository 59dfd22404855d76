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
