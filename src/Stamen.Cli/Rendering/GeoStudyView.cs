using Spectre.Console;
using Stamen.Experiments;
using Stamen.Reporting.Studies;

namespace Stamen.Cli.Rendering;

/// <summary>The study grid as a console table and as Markdown for docs/ (the report's tables, so the three agree).</summary>
internal static class GeoStudyView
{
    public static Table Table(IReadOnlyList<GeoStudyCell> cells) => ReportTableView.Console(GeoStudyReportBuilder.Table(cells), rightAlignedFrom: 4);

    public static string Markdown(IReadOnlyList<GeoStudyCell> cells) => ReportTableView.Markdown(GeoStudyReportBuilder.Table(cells));

    /// <summary>One row per cell and algorithm: for many algorithms, where one row per cell would be too wide.</summary>
    public static Table LongTable(IReadOnlyList<GeoStudyCell> cells) => ReportTableView.Console(GeoStudyReportBuilder.LongTable(cells), int.MaxValue);

    public static string LongMarkdown(IReadOnlyList<GeoStudyCell> cells) => ReportTableView.Markdown(GeoStudyReportBuilder.LongTable(cells));
}
