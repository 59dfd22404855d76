using System.Globalization;
using System.Text;
using Spectre.Console;
using Stamen.Experiments;
using static Stamen.Cli.Rendering.ConsoleOut;

namespace Stamen.Cli.Rendering;

/// <summary>The gap study's per-heuristic summary as a console table and as Markdown for docs/.</summary>
internal static class MilpGapView
{
    private static readonly string[] Header =
        ["algorithm", "compared", "mean gap %", "max gap %", "routes overflow memory", "cannot carry R", "own pool overflows", "no plan"];

    public static Table Table(MilpGapReport report)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(Header[0]);
        foreach (var h in Header.Skip(1)) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var s in report.Summaries)
            table.AddRow(Row(s, report.Instances.Count).Select(Markup.Escape).ToArray());
        return table;
    }

    public static string Markdown(MilpGapReport report)
    {
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", Header).AppendLine(" |");
        sb.Append("|---|").AppendJoin("", Header.Skip(1).Select(_ => "---:|")).AppendLine();
        foreach (var s in report.Summaries)
            sb.Append("| ").AppendJoin(" | ", Row(s, report.Instances.Count)).AppendLine(" |");
        return sb.ToString();
    }

    /// <summary>One line on the MILP's own solves, for beside the table.</summary>
    public static string MilpLine(MilpGapReport report)
    {
        var solveMs = report.Instances.Select(i => i.Milp.SolveTimeMs).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"{report.Instances.Count} instances (seed {report.Seed}); MILP proven optimal on {report.MilpOptimalCount} within {report.TimeLimitSeconds} s " +
            $"(solve time mean {solveMs.Average():0} ms, max {solveMs.Max():0} ms); R {report.Instances.Min(i => i.Sessions)}-{report.Instances.Max(i => i.Sessions)} sessions.");
    }

    private static List<string> Row(MilpGapSummary s, int instances) =>
    [
        s.Algorithm,
        string.Create(CultureInfo.InvariantCulture, $"{s.Compared}/{instances}"),
        F(s.MeanGapPercent, "0.0"),
        F(s.MaxGapPercent, "0.0"),
        s.RoutesOverflow.ToString(CultureInfo.InvariantCulture),
        s.CannotCarry.ToString(CultureInfo.InvariantCulture),
        s.OwnPoolOverflow.ToString(CultureInfo.InvariantCulture),
        s.NoPlan.ToString(CultureInfo.InvariantCulture),
    ];
}
