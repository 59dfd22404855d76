using System.CommandLine;
using Spectre.Console;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.IO;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>
/// `stamen reproduce geo`: the published scattered-setup study, PETALS vs CG-BP + WS-RR per cell;
/// `stamen reproduce milp-gap`: each scaling heuristic's gap to the exact MILP on small instances.
/// </summary>
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
        command.Subcommands.Add(MilpGap());
        return command;
    }

    private sealed record MilpGapSettings(int Instances, int Seed, string? Json, string? Markdown, bool Quiet);

    private static Command MilpGap()
    {
        var instances = new Option<int>("--instances")
        {
            Description = "Small instances to solve (3-5 servers, L 6/8/12, 1-2 clients)",
            DefaultValueFactory = _ => 30,
            HelpName = "N",
        };
        var seed = new Option<int>("--seed") { Description = "Seed the instances are drawn from", DefaultValueFactory = _ => 1, HelpName = "S" };
        var json = CommonOptions.Json();
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table as Markdown (for docs/)", HelpName = "PATH" };
        var quiet = CommonOptions.Quiet();
        var command = new Command("milp-gap",
            "Each scaling heuristic's per-token objective against the exact MILP optimum on small seeded instances, " +
            "with the instances where its plan cannot carry CG-BP's R sessions")
        {
            instances, seed, json, markdown, quiet,
        };
        command.SetAction(p => CliRunner.Run(() => ExecuteMilpGap(new MilpGapSettings(
            p.GetValue(instances), p.GetValue(seed), p.GetValue(json), p.GetValue(markdown), p.GetValue(quiet)))));
        return command;
    }

    private static int ExecuteMilpGap(MilpGapSettings s)
    {
        var report = ProgressView.Run("Solving small instances exactly", s.Quiet, progress => MilpGapStudy.Run(s.Instances, s.Seed, progress: progress));
        AnsiConsole.Write(MilpGapView.Table(report));
        ConsoleOut.Note(MilpGapView.MilpLine(report));
        ConsoleOut.Note("Gap: (heuristic - MILP) / MILP of the sum over sessions of per-token time, where the heuristic's shortest-path routes fit memory.");
        if (s.Markdown is not null)
        {
            AtomicFile.WriteAllText(s.Markdown, MilpGapView.Markdown(report));
            ConsoleOut.Note($"Wrote {s.Markdown}");
        }
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new
            {
                seed = report.Seed,
                typical = new { prompt_tokens = report.Typical.PromptTokens, output_tokens = report.Typical.OutputTokens },
                time_limit_s = report.TimeLimitSeconds,
                milp_optimal = report.MilpOptimalCount,
                summaries = report.Summaries,
                instances = report.Instances.Select(i => new
                {
                    index = i.Index,
                    servers = i.Servers,
                    clients = i.Clients,
                    blocks = i.Blocks,
                    sessions = i.Sessions,
                    rate_per_s = i.ArrivalRatePerSec,
                    milp = new
                    {
                        status = i.Milp.Status,
                        objective_ms = i.Milp.ObjectiveMs,
                        bound_ms = i.Milp.BestBoundMs,
                        gap = i.Milp.Gap,
                        solve_ms = i.Milp.SolveTimeMs,
                        spans = i.Milp.Spans.Select(b => new { start = b.Start, count = b.Count }).ToList(),
                    },
                    heuristics = i.Heuristics.Select(h => new
                    {
                        algorithm = h.Algorithm,
                        objective_ms = h.ObjectiveMs,
                        gap_percent = h.GapPercent(i.Milp.ObjectiveMs),
                        routes_fit_memory = h.RoutesFitMemory,
                        own_pool_holds = h.OwnPoolHolds,
                        can_carry_sessions = h.CanCarrySessions,
                        planned = h.Planned,
                    }).ToList(),
                }).ToList(),
            });
            ConsoleOut.Note($"Wrote {s.Json}");
        }
        return 0;
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
