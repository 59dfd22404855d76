using Spectre.Console;

namespace Stamen.Cli.Commands;

/// <summary>Runs a command body, turning user mistakes into one clear line and exit code 2.</summary>
internal static class CliRunner
{
    public const int UserError = 2;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (StamenInputException e)
        {
            AnsiConsole.Console.Profile.Out.Writer.Flush();
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }
}
