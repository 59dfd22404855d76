using System.CommandLine;
using Stamen.Adapters;
using Stamen.Adapters.Placement;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Optimization.Milp;
using Stamen.Reporting.Adapters;
using Stamen.Scenarios.Adapters;
using Stamen.Simulation.Engine;
using Stamen.Workload;

namespace Stamen.Cli.Commands;

/// <summary>`stamen adapters dataset|train|plan|verify`: placing LoRA adapters on the fewest GPUs (issue 5).</summary>
internal static class AdaptersCommand
{
    private sealed record PlanSettings(string? Workload, string Methods, string Predictor, string? Show, int? VerifySeed, string? Json, string? Report, bool Quiet,
        string CommandLine);

    private sealed record DatasetSettings(string Output, int Cells, double DurationS, int Seed, string Model, string Gpu, bool Quiet);

    public static Command Create(CliConsole console) =>
        new("adapters", "LoRA adapter placement: twin-generated data, a distilled predictor, placement on the fewest GPUs, verification")
        {
            CreateDataset(console),
            AdaptersTrainCommand.Create(console),
            CreatePlan(console, "plan", "Place the workload's adapters on GPUs with each method, beside a lower bound on GPUs", verify: false),
            CreatePlan(console, "verify", "Place the adapters, then replay every GPU of every plan in the engine twin (throughput, starvation, memory)", verify: true),
        };

    private static Command CreatePlan(CliConsole console, string name, string description, bool verify)
    {
        var workload = new Argument<string?>("workload")
        {
            Description = "Adapter workload YAML (omit for the built-in default: 100 adapters, ranks 8/16/32, Zipf rates)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var methods = new Option<string>("--methods", "-m")
        {
            Description = $"Comma-separated methods, or all: {string.Join(", ", AdapterPlacerCatalog.Names)}",
            DefaultValueFactory = _ => "all",
            HelpName = "LIST",
        };
        var predictor = new Option<string>("--predictor")
        {
            Description = "twin (run the engine twin at every check; exact, slower) or a predictor file from `stamen adapters train`",
            DefaultValueFactory = _ => "twin",
            HelpName = "twin|PATH",
        };
        var show = new Option<string?>("--show") { Description = "Method whose GPUs are listed in detail (default: greedy when it runs, else the first method)", HelpName = "NAME" };
        var verifySeed = new Option<int?>("--verify-seed")
        {
            Description = "Seed of the verifying twin's arrivals (default: the workload's seed + 1, draws the plan was not made from)",
            HelpName = "N",
        };
        var json = CommonOptions.Json();
        var report = CommonOptions.Report();
        var quiet = CommonOptions.Quiet();
        var command = new Command(name, description) { workload, methods, predictor, show, json, report, quiet };
        if (verify) command.Options.Add(verifySeed);
        command.SetAction(p => CliRunner.Run(console, () => Plan(console, new PlanSettings(p.GetValue(workload), p.GetValue(methods)!, p.GetValue(predictor)!,
            p.GetValue(show), verify ? p.GetValue(verifySeed) ?? int.MinValue : null, p.GetValue(json), p.GetValue(report), p.GetValue(quiet), CommandText.Of(p)))));
        return command;
    }

    private static int Plan(CliConsole console, PlanSettings s)
    {
        var workload = AdapterWorkloadParser.Load(s.Workload);
        var methods = s.Methods.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
            ? AdapterPlacerCatalog.All
            : [.. s.Methods.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(AdapterPlacerCatalog.Find)];
        // Checked before the (long) placement, not found missing after it.
        var showName = s.Show ?? (methods.Any(m => m.Name == "greedy") ? "greedy" : methods[0].Name);
        if (!methods.Any(m => string.Equals(m.Name, showName, StringComparison.OrdinalIgnoreCase)))
            throw new StamenInputException("--show", showName, "is not one of the methods run", $"use one of {string.Join(", ", methods.Select(m => m.Name))}");
        var predictor = AdapterPredictorFile.Resolve(s.Predictor, workload.Twin);
        int? verifySeed = s.VerifySeed is null ? null : s.VerifySeed == int.MinValue ? workload.Seed + 1 : s.VerifySeed;
        console.Out.Heading($"{workload.Name}: {workload.Describe()}");
        console.Out.Note($"Predictor: {predictor.Name}");
        var report = ProgressView.Run(console.Out, verifySeed is null ? "Placing adapters" : "Placing and verifying", s.Quiet,
            progress => AdapterPlacementStudy.Run(workload, predictor, methods, verifySeed, new CbcMilpSolver(), progress));
        console.Out.Write(AdapterPlanView.Summary(report));
        var lb = report.LowerBound;
        console.Out.Note(FormattableString.Invariant(
            $"Lower bound {lb.Gpus} GPUs ({lb.How}): one GPU serves at most {lb.CapacityTokensPerSec:N0} tokens/s in the twin, and a GPU that does not starve serves 0.9 of what it is offered."));
        if (report.Methods.FirstOrDefault(m => string.Equals(m.Placement.Method, showName, StringComparison.OrdinalIgnoreCase)) is { } shown)
            console.Out.Write(AdapterPlanView.Gpus(shown));
        if (verifySeed is not null) console.Out.Note($"Verified in the twin with arrival seed {verifySeed}; starved: served below 0.9 of the offered token rate.");
        if (s.Json is null && s.Report is null) return 0;
        var built = AdapterReportBuilder.Build(report, s.CommandLine);
        if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, built);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, AdapterPlanJson.From(report) with { Report = built });
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private static Command CreateDataset(CliConsole console)
    {
        var output = new Option<string>("--output", "-o") { Description = "CSV file to write", Required = true, HelpName = "PATH" };
        var cells = new Option<int>("--cells") { Description = "Twin runs (GPU loads drawn from the grid)", DefaultValueFactory = _ => 2000, HelpName = "N" };
        var duration = new Option<double>("--duration-s") { Description = "Simulated seconds of arrivals per run", DefaultValueFactory = _ => 300, HelpName = "S" };
        var seed = new Option<int>("--seed") { Description = "Seed of the grid draws and arrivals", DefaultValueFactory = _ => 1, HelpName = "N" };
        var model = new Option<string>("--model") { Description = "Catalog model (with a fitted H100 step time when one is published)", DefaultValueFactory = _ => "llama-3.1-8b", HelpName = "NAME" };
        var gpu = new Option<string>("--gpu") { Description = "Catalog GPU", DefaultValueFactory = _ => "h100-sxm", HelpName = "NAME" };
        var quiet = CommonOptions.Quiet();
        var command = new Command("dataset",
            "Run the engine twin over a grid of GPU loads (served adapters, slots, rates, rank mixes, lengths) in parallel and write features and targets as CSV")
        {
            output, cells, duration, seed, model, gpu, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => Dataset(console, new DatasetSettings(p.GetValue(output)!, p.GetValue(cells), p.GetValue(duration), p.GetValue(seed),
            p.GetValue(model)!, p.GetValue(gpu)!, p.GetValue(quiet)))));
        return command;
    }

    private static int Dataset(CliConsole console, DatasetSettings s)
    {
        if (s.Cells < 1) throw new StamenInputException("--cells", s.Cells.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 1", "give e.g. 2000");
        var model = ModelCatalog.BuiltIn.TryFind(s.Model, out var m) ? m
            : throw new StamenInputException("--model", s.Model, "unknown model", $"use one of {string.Join(", ", ModelCatalog.BuiltIn.Names)}");
        var gpu = GpuCatalog.BuiltIn.TryFind(s.Gpu, out var g) ? g
            : throw new StamenInputException("--gpu", s.Gpu, "unknown GPU", $"use one of {string.Join(", ", GpuCatalog.BuiltIn.Names)}");
        var stepTime = StepTimeCatalog.DefaultFor(EngineConfig.ForGpu(model, gpu)).Model;
        var twin = new GpuServingTwin(model, gpu, stepTime, new UniformTokenCount(32, 1024), new UniformTokenCount(16, 512), s.DurationS);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rows = ProgressView.Run(console.Out, $"Running {s.Cells} twin cells", s.Quiet, progress => AdapterDataset.Generate(twin, s.Cells, s.Seed, progress));
        var seconds = clock.Elapsed.TotalSeconds;
        AdapterDataset.WriteCsv(s.Output, rows);
        console.Out.Note(FormattableString.Invariant(
            $"Wrote {s.Output}: {rows.Count} rows ({rows.Count(r => r.Outcome.Starved)} starved) in {seconds:0.0} s, {rows.Count / seconds:0.0} twin runs per second on {Environment.ProcessorCount} cores."));
        return 0;
    }
}
