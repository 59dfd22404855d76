using Spectre.Console;
using Stamen.IO;
using Stamen.Reporting;
using Stamen.Reporting.Html;

namespace Stamen.Cli.Rendering;

/// <summary>Writes a report's HTML atomically and says where.</summary>
internal static class ReportOutput
{
    public static void Write(IAnsiConsole console, string path, Report report)
    {
        AtomicFile.WriteAllText(path, HtmlReport.Render(report));
        console.Note($"Wrote report {path}");
    }
}
