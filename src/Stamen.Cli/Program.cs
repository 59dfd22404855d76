using Spectre.Console;
using Stamen.Cli.Commands;

if (Console.IsOutputRedirected)
{
    // Pipes, files and CI logs get plain text at a width that fits the tables.
    AnsiConsole.Profile.Capabilities.Ansi = false;
    AnsiConsole.Profile.Capabilities.ColorSystem = ColorSystem.NoColors;
    AnsiConsole.Profile.Width = 160;
}
return StamenCli.Build().Parse(args).Invoke();
