using Stamen.IO;
using Stamen.Reporting;
using Stamen.Reporting.Html;

namespace Stamen.Cli.Rendering;

/// <summary>Writes a report's HTML atomically and says where.</summary>
internal static class ReportOutput
{
    /// <summary>The command as the user typed it (quoted where needed), so a report says how to re-run it.</summary>
    public static string CommandLine(System.CommandLine.ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return "stamen " + string.Join(' ', parse.Tokens.Select(t => t.Value.Any(char.IsWhiteSpace) || t.Value.Length == 0 ? $"\"{t.Value}\"" : t.Value));
    }

    public static void Write(string path, Report report)
    {
        AtomicFile.WriteAllText(path, HtmlReport.Render(report));
        ConsoleOut.Note($"Wrote report {path}");
    }
}
