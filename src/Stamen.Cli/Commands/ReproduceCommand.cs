using System.CommandLine;
using Spectre.Console;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.IO;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>`stamen reproduce geo`: the published scattered-setup study, PETALS vs CG-BP + WS-RR per cell.</summary>
internal static class ReproduceCommand
{
    public static readonly IReadOnlyList<string> GeoScenarioFiles = ["scattered-abovenet.yaml", "scattered-bellcanada.yaml", "scattered-gtsce.yaml"];

    private sealed record Settings(string Examples, int? Runs, bool AllAlgorithms, string? Json, string? Markdown, bool Quiet);

    public static Command Create()
    {
        var command = new Command("reproduce", "Reproduce published studies");
        var examples = new Option<string>("--examples")
        {
            Description = "Folder holding the scattered-*.yaml scenarios",
            DefaultValueFactory = _ => "examples",
            HelpName = "DIR",
        };
        var runs = CommonOptions.Runs();
        var json = CommonOptions.Json();
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table as Markdown (for docs/)", HelpName = "PATH" };
        var quiet = CommonOptions.Quiet();
        var all = new Option<bool>("--all-algorithms")
        {
            Description = "Compare every catalog algorithm that scales to these swarms (not only each scenario's PETALS vs CG-BP + WS-RR); the table lists time per token and first-token time per algorithm",
        };
        var geo = new Command("geo",
            "Scattered setups on AboveNet, BellCanada and GTS-CE (lambda 0.1/0.5, l_max 64/128, with and without the published fixed delays): " +
            "every algorithm of each scenario, with the reduction against the first (PETALS)")
        {
            examples, runs, all, json, markdown, quiet,
        };
        geo.SetAction(p => CliRunner.Run(() => Execute(new Settings(
            p.GetValue(examples)!, p.GetValue(runs), p.GetValue(all), p.GetValue(json), p.GetValue(markdown), p.GetValue(quiet)))));
        command.Subcommands.Add(geo);
        return command;
    }

    private static int Execute(Settings s)
    {
        if (!Directory.Exists(s.Examples))
            throw new StamenInputException(s.Examples, "--examples", "folder not found", "run from the repository root or pass --examples path/to/examples");
        var scenarios = GeoScenarioFiles.Select(f => ScenarioParser.ParseFile(Path.Combine(s.Examples, f))).ToList();
        var cells = ProgressView.Run("Reproducing the scattered-setup grid", s.Quiet,
            progress => GeoStudy.Run(scenarios, GeoStudy.PublishedRates, GeoStudy.PublishedOutputTokens, s.Runs,
                s.AllAlgorithms ? GeoStudy.AllScalableAlgorithms : null, progress));
        AnsiConsole.Write(s.AllAlgorithms ? GeoStudyView.LongTable(cells) : GeoStudyView.Table(cells));
        ConsoleOut.Note("Mean time per token in seconds (95% CI half-width); reduction of each algorithm against the first, in %.");
        if (s.Markdown is not null)
        {
            AtomicFile.WriteAllText(s.Markdown, s.AllAlgorithms ? GeoStudyView.LongMarkdown(cells) : GeoStudyView.Markdown(cells));
            ConsoleOut.Note($"Wrote {s.Markdown}");
        }
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new
            {
                cells = cells.Select(c => new
                {
                    scenario = c.Scenario,
                    rate_per_s = c.RatePerSec,
                    output_tokens = c.OutputTokens,
                    fixed_delays = c.FixedDelays,
                    comparison = ComparisonJson.From(c.Results),
                }).ToList(),
            });
            ConsoleOut.Note($"Wrote {s.Json}");
        }
        return 0;
    }
}
