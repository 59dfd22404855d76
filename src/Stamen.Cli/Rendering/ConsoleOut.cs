using Spectre.Console;

namespace Stamen.Cli.Rendering;

/// <summary>Small helpers for plain lines beside the tables.</summary>
internal static class ConsoleOut
{
    public static void Note(string text) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]");

    public static void Heading(string text) => AnsiConsole.MarkupLine($"[bold]{Markup.Escape(text)}[/]");

    public static string F(double value, string format) =>
        double.IsNaN(value) ? "-" : value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
