using System.Globalization;
using Spectre.Console;
using Stamen.Experiments;
using Stamen.Reporting.Studies;

namespace Stamen.Cli.Rendering;

/// <summary>The gap study's per-heuristic summary as a console table and as Markdown for docs/ (the report's table).</summary>
internal static class MilpGapView
{
    public static Table Table(MilpGapReport report) => ReportTableView.Console(MilpGapReportBuilder.Table(report), rightAlignedFrom: 1);

    public static string Markdown(MilpGapReport report) => ReportTableView.Markdown(MilpGapReportBuilder.Table(report), rightAlignedFrom: 1);

    /// <summary>One line on the MILP's own solves, for beside the table.</summary>
    public static string MilpLine(MilpGapReport report)
    {
        var solveMs = report.Instances.Select(i => i.Milp.SolveTimeMs).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"{report.Instances.Count} instances (seed {report.Seed}); MILP proven optimal on {report.MilpOptimalCount} within {report.TimeLimitSeconds} s " +
            $"(solve time mean {solveMs.Average():0} ms, max {solveMs.Max():0} ms); R {report.Instances.Min(i => i.Sessions)}-{report.Instances.Max(i => i.Sessions)} sessions.");
    }
}
