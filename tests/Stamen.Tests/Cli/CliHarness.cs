using System.Globalization;
using Spectre.Console;
using Stamen.Cli.Commands;

namespace Stamen.Tests.Cli;

/// <summary>CLI tests redirect the process-wide console, so they never run beside other tests.</summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleTests;

/// <summary>Exit code and everything the command wrote to standard output and error.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Runs `stamen ARGS` in-process with the console (and Spectre's console) captured, then restores them.</summary>
internal static class CliHarness
{
    public static CliResult Run(params string[] args)
    {
        var oldOut = Console.Out;
        var oldError = Console.Error;
        var oldAnsi = AnsiConsole.Console;
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(stdout),
        });
        AnsiConsole.Profile.Width = 200;
        try
        {
            var code = StamenCli.Build().Parse(args).Invoke();
            return new CliResult(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
            AnsiConsole.Console = oldAnsi;
        }
    }
}
