using Spectre.Console;
using Stamen.Experiments;
using Stamen.Reporting.Studies;

namespace Stamen.Cli.Rendering;

/// <summary>The multi-LoRA grid: served adapters down, slots across, throughput in each cell (starvation marked); the report's tables.</summary>
internal static class LoraGridView
{
    public static Table Table(IReadOnlyList<LoraGridCell> cells)
    {
        var table = LoraGridReportBuilder.Table(cells);
        return ReportTableView.Console(table, rightAlignedFrom: 1, title: table.Title, noWrap: true);
    }

    public static string Markdown(IReadOnlyList<LoraGridCell> cells) =>
        ReportTableView.Markdown(LoraGridReportBuilder.Table(cells), rightAlignedFrom: 0) + Environment.NewLine +
        ReportTableView.Markdown(LoraGridReportBuilder.DetailTable(cells), rightAlignedFrom: 0);
}
