using Spectre.Console;
using Stamen.Experiments;
using Stamen.Reporting.Studies;

namespace Stamen.Cli.Rendering;

/// <summary>The split grid summarised per model and device, and broken down by link, length and SLA (the report's tables).</summary>
internal static class SplitGridView
{
    public static Table Table(IReadOnlyList<SplitGridCell> cells)
    {
        var table = SplitGridReportBuilder.Table(cells);
        return ReportTableView.Console(table, int.MaxValue, table.Title, noWrap: true);
    }

    public static string Markdown(IReadOnlyList<SplitGridCell> cells) =>
        ReportTableView.Markdown(SplitGridReportBuilder.Table(cells), rightAlignedFrom: 2) + Environment.NewLine +
        ReportTableView.Markdown(SplitGridReportBuilder.Breakdown(cells), rightAlignedFrom: 1);
}
