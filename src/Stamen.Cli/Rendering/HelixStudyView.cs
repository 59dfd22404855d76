using Spectre.Console;
using Stamen.Experiments;
using Stamen.Reporting.Studies;

namespace Stamen.Cli.Rendering;

/// <summary>The Helix study as a console table and as Markdown for docs/.</summary>
internal static class HelixStudyView
{
    public static Table Table(IReadOnlyList<HelixStudyRow> rows) => ReportTableView.Console(HelixStudyReportBuilder.Table(rows), rightAlignedFrom: 5);

    public static string Markdown(IReadOnlyList<HelixStudyRow> rows) => ReportTableView.Markdown(HelixStudyReportBuilder.Table(rows), rightAlignedFrom: 5);
}
