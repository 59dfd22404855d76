using System.CommandLine;
using Stamen.Cli.Rendering;

namespace Stamen.Cli.Commands;

/// <summary>`stamen report RESULTS.json -o PATH.html`: renders saved results again, byte for byte the report the run wrote.</summary>
internal static class ReportCommand
{
    private sealed record Settings(string Results, string Output);

    public static Command Create(CliConsole console)
    {
        var results = new Argument<string>("results")
        {
            Description = "JSON written by a command's --json (its top-level `report`), or a bare report",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "HTML file to write (one file with inline SVG charts; opens offline)",
            HelpName = "PATH.html",
            Required = true,
        };
        var command = new Command("report", "Render saved results (--json) as an HTML report with charts") { results, output };
        command.SetAction(p => CliRunner.Run(console, () => Execute(console, new Settings(p.GetValue(results)!, p.GetValue(output)!))));
        return command;
    }

    private static int Execute(CliConsole console, Settings s)
    {
        ReportOutput.Write(console.Out, s.Output, ReportInput.Read(s.Results));
        return 0;
    }
}
