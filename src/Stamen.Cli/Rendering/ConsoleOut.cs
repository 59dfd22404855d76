using Spectre.Console;

namespace Stamen.Cli.Rendering;

/// <summary>Small helpers for plain lines beside the tables.</summary>
internal static class ConsoleOut
{
    public static void Note(this IAnsiConsole console, string text) => console.MarkupLine($"[grey]{Markup.Escape(text)}[/]");

    public static void Heading(this IAnsiConsole console, string text) => console.MarkupLine($"[bold]{Markup.Escape(text)}[/]");

    public static string F(double value, string format) =>
        double.IsNaN(value) ? "-" : value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
