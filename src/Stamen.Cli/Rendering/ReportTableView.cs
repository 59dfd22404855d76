using System.Text;
using Spectre.Console;
using Stamen.Reporting;

namespace Stamen.Cli.Rendering;

/// <summary>
/// A report's table on the console and as Markdown: one source for the three, so the console, docs/ and the HTML report
/// cannot drift apart.
/// </summary>
internal static class ReportTableView
{
    /// <param name="table">The rows.</param>
    /// <param name="rightAlignedFrom">First column of numbers, right-aligned (the columns before it are names).</param>
    /// <param name="title">A title above the table, or none.</param>
    /// <param name="noWrap">Keep every cell on one line.</param>
    public static Table Console(ReportTable table, int rightAlignedFrom, string? title = null, bool noWrap = false)
    {
        var console = new Table().Border(TableBorder.Rounded);
        if (title is not null) console.Title(title);
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = new TableColumn(Markup.Escape(table.Columns[i]));
            if (i >= rightAlignedFrom) column.RightAligned();
            if (noWrap) column.NoWrap();
            console.AddColumn(column);
        }
        foreach (var row in table.Rows) console.AddRow([.. row.Select(Markup.Escape)]);
        return console;
    }

    /// <param name="table">The rows.</param>
    /// <param name="rightAlignedFrom">First column right-aligned with "---:" (int.MaxValue: none).</param>
    public static string Markdown(ReportTable table, int rightAlignedFrom = int.MaxValue)
    {
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", table.Columns).AppendLine(" |");
        sb.Append('|').AppendJoin("", table.Columns.Select((_, i) => i >= rightAlignedFrom ? "---:|" : "---|")).AppendLine();
        foreach (var row in table.Rows) sb.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        return sb.ToString();
    }
}
