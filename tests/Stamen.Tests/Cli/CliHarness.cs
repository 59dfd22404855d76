using System.Globalization;
using Spectre.Console;
using Stamen.Cli;
using Stamen.Cli.Commands;

namespace Stamen.Tests.Cli;

/// <summary>Exit code and everything the command wrote to standard output and error.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Runs `stamen ARGS` in-process over a console of its own (plain, non-interactive, 200 wide, writing to strings); nothing
/// process-wide is swapped, so CLI tests run in parallel.
/// </summary>
internal static class CliHarness
{
    public static CliConsole Capture(TextWriter stdout, TextWriter stderr)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(stdout),
        });
        console.Profile.Width = 200;
        return new CliConsole(console, stderr);
    }

    public static CliResult Run(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var code = StamenCli.Run(Capture(stdout, stderr), args);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
