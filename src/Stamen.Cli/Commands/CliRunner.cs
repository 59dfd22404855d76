namespace Stamen.Cli.Commands;

/// <summary>Runs a command body, turning user mistakes into one clear line and exit code 2.</summary>
internal static class CliRunner
{
    public const int UserError = 2;

    public static int Run(CliConsole console, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (StamenInputException e)
        {
            console.Plain.Flush();
            console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine("cancelled");
            return 130;
        }
    }

    /// <summary>As <see cref="Run"/>, for commands that wait on the network.</summary>
    public static async Task<int> RunAsync(CliConsole console, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (StamenInputException e)
        {
            console.Plain.Flush();
            await console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return UserError;
        }
        catch (Stamen.Runtime.Swarm.SwarmUnavailableException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 3;
        }
        catch (HttpRequestException e)
        {
            await console.Error.WriteLineAsync($"error: cannot reach {e.Message}").ConfigureAwait(false);
            return 3;
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 130;
        }
    }
}
