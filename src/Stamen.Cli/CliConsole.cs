using System.CommandLine;
using Spectre.Console;

namespace Stamen.Cli;

/// <summary>
/// Where a `stamen` run writes: tables, notes and plain text to <see cref="Out"/>, error lines to <see cref="Error"/>.
/// Commands get it from <see cref="Commands.StamenCli.Build"/> instead of using the process-wide console, so tests can run
/// the CLI in parallel, each over its own writers.
/// </summary>
internal sealed record CliConsole(IAnsiConsole Out, TextWriter Error)
{
    /// <summary>Out's raw writer, for text that must come out byte for byte (no markup, no wrapping at the console width).</summary>
    public TextWriter Plain => Out.Profile.Out.Writer;

    /// <summary>System.CommandLine's own output (help, version, parse errors) on the same writers.</summary>
    public InvocationConfiguration Invocation() => new() { Output = Plain, Error = Error };

    /// <summary>
    /// The process's console, as Spectre's static console would be; the one place that touches it. Pipes, files and CI logs
    /// get plain text at a width that fits the tables.
    /// </summary>
    public static CliConsole ForProcess()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Capabilities.Ansi = false;
            console.Profile.Capabilities.ColorSystem = ColorSystem.NoColors;
            console.Profile.Width = 160;
        }
        return new CliConsole(console, Console.Error);
    }
}
