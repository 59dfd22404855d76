using System.CommandLine;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.IO;
using Stamen.Optimization.Milp;
using Stamen.Reporting.Studies;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>
/// `stamen reproduce geo`: the published scattered-setup study, PETALS vs CG-BP + WS-RR per cell;
/// `stamen reproduce milp-gap`: each scaling heuristic's gap to the exact MILP on small instances;
/// `stamen reproduce engine-lora`: the multi-LoRA engine grid (served adapters x slots);
/// `stamen reproduce split`: split placements over a grid of request types.
/// </summary>
internal static class ReproduceCommand
{
    public static readonly IReadOnlyList<string> GeoScenarioFiles = ["scattered-abovenet.yaml", "scattered-bellcanada.yaml", "scattered-gtsce.yaml"];

    private sealed record Settings(string Examples, int? Runs, bool AllAlgorithms, string? Json, string? Markdown, string? Report, bool Quiet, string Command, string? Store);

    public static Command Create(CliConsole console)
    {
        var command = new Command("reproduce", "Reproduce published studies");
        var examples = ExamplesOption("sweeps/geo.yaml and the scattered-*.yaml scenarios it reads");
        var runs = CommonOptions.Runs();
        var json = CommonOptions.Json();
        var report = CommonOptions.Report();
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table as Markdown (for docs/)", HelpName = "PATH" };
        var quiet = CommonOptions.Quiet();
        var all = new Option<bool>("--all-algorithms")
        {
            Description = "Compare every catalog algorithm that scales to these swarms (not only each scenario's PETALS vs CG-BP + WS-RR); the table lists time per token and first-token time per algorithm",
        };
        var store = StoreOption("examples/sweeps/geo.yaml");
        var geo = new Command("geo",
            "Scattered setups on AboveNet, BellCanada and GTS-CE (lambda 0.1/0.5, l_max 64/128, with and without the published fixed delays): " +
            "every algorithm of each scenario, with the reduction against its PETALS: the published simulator's rules against petals-published " +
            "(the paper's comparison), Stamen's realistic rules against petals")
        {
            examples, runs, all, json, markdown, report, quiet, store,
        };
        geo.SetAction((p, token) => Task.FromResult(CliRunner.Run(console, () => Execute(console, new Settings(
            p.GetValue(examples)!, p.GetValue(runs), p.GetValue(all), p.GetValue(json), p.GetValue(markdown), p.GetValue(report), p.GetValue(quiet),
            CommandText.Of(p), p.GetValue(store)), token))));
        command.Subcommands.Add(geo);
        command.Subcommands.Add(MilpGap(console));
        command.Subcommands.Add(EngineLora(console));
        command.Subcommands.Add(SplitGrid(console));
        command.Subcommands.Add(Helix(console));
        return command;
    }

    private static Option<string> ExamplesOption(string holds) => new("--examples")
    {
        Description = $"Folder holding {holds}",
        DefaultValueFactory = _ => "examples",
        HelpName = "DIR",
    };

    private static Option<string?> StoreOption(string sweep) => new("--store")
    {
        Description = $"Keep the runs in this sweep store ({sweep}'s results; a rerun resumes) instead of a temporary one",
        HelpName = "DIR",
    };

    private static Command Helix(CliConsole console)
    {
        var data = new Option<string>("--data") { Description = "Folder holding helix/ and traces/azure_conv_2023.csv", DefaultValueFactory = _ => "data", HelpName = "DIR" };
        var warmup = new Option<double>("--warmup-s") { Description = "Simulated seconds before measuring (Helix: 60)", DefaultValueFactory = _ => 60, HelpName = "S" };
        var duration = new Option<double>("--duration-s") { Description = "Measured simulated seconds (Helix: 600)", DefaultValueFactory = _ => 600, HelpName = "S" };
        var seed = new Option<int>("--seed") { Description = "Seed of lengths, scheduler choices and the flow search", DefaultValueFactory = _ => 1, HelpName = "S" };
        var wholeSpan = new Option<bool>("--whole-span") { Description = "Run each batch over the server's whole span (our simpler model) instead of layer by layer as Helix's simulator does" };
        var json = CommonOptions.Json();
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table as Markdown (for docs/)", HelpName = "PATH" };
        var quiet = CommonOptions.Quiet();
        var store = StoreOption("the built-in sweep helix");
        var command = new Command("helix",
            "Helix's 24-machine clusters (single24, 3cluster24) serving LLaMA-2-70B offline: Helix's MILP and Swarm placements, Stamen's baselines and " +
            "flow search, simulated by the batching twin, next to the decode throughput Helix's artifact reports")
        {
            data, warmup, duration, seed, wholeSpan, json, markdown, store, quiet,
        };
        command.SetAction((p, token) => Task.FromResult(CliRunner.Run(console, () =>
        {
            var settings = new HelixStudySettings(p.GetValue(data)!, p.GetValue(warmup), p.GetValue(duration), p.GetValue(seed)) { LayerByLayer = !p.GetValue(wholeSpan) };
            Stamen.Simulation.Cluster.ClusterRunOptions.RequireWindow(settings.WarmupS, settings.DurationS, "(command line)", "--warmup-s/--duration-s");
            if (!Directory.Exists(Path.Combine(settings.DataDirectory, "helix")))
                throw new StamenInputException(settings.DataDirectory, "--data", "no helix/ folder here", "run from the repository root or pass --data path/to/data");
            // The study runs as the built-in sweep helix (`stamen sweep show helix`), one cell per cluster, its options as set: fields.
            var definition = Stamen.Sweeps.BuiltinSweeps.Load(Stamen.Sweeps.Studies.HelixStudySweep.Name) with
            {
                Set =
                [
                    new("data", Text(Path.GetFullPath(settings.DataDirectory))),
                    new("seed", Scalar(settings.Seed)),
                    new("warmup_s", Scalar(settings.WarmupS)),
                    new("duration_s", Scalar(settings.DurationS)),
                    new("layer_by_layer", Text(settings.LayerByLayer ? "true" : "false")),
                ],
            };
            var (_, results) = RunSweep(console, definition, p.GetValue(store), p.GetValue(quiet), "Simulating Helix's clusters", token);
            var rows = Stamen.Sweeps.Studies.HelixStudySweep.Rows(results);
            console.Out.Write(HelixStudyView.Table(rows));
            console.Out.Note("Decode tokens/s reaching the coordinator in the measured window; static max flow counts prompt and decode tokens. docs/helix-study.md explains the differences.");
            if (p.GetValue(markdown) is { } md)
            {
                AtomicFile.WriteAllText(md, HelixStudyView.Markdown(rows));
                console.Out.Note($"Wrote {md}");
            }
            if (p.GetValue(json) is { } path)
            {
                JsonOutput.Write(path, new HelixStudyJson(settings.WarmupS, settings.DurationS, settings.Seed, settings.LayerByLayer, rows));
                console.Out.Note($"Wrote {path}");
            }
            return 0;
        })));
        return command;
    }

    private static Command SplitGrid(CliConsole console)
    {
        var json = CommonOptions.Json();
        var markdown = new Option<string?>("--markdown") { Description = "Also write the tables as Markdown (for docs/)", HelpName = "PATH" };
        var reportPath = CommonOptions.Report();
        var store = StoreOption("the built-in sweep split");
        var quiet = CommonOptions.Quiet();
        var command = new Command("split",
            "Split placements over a grid of request types (3 models x 3 devices x 3 links x 3 sequence lengths x 3 SLAs): server work saved against " +
            "server only, gain over greedy, server capacity gain")
        {
            json, markdown, reportPath, store, quiet,
        };
        command.SetAction((p, token) => Task.FromResult(CliRunner.Run(console, () =>
        {
            // The grid runs as the built-in sweep split (`stamen sweep show split`).
            var (plan, rows) = RunSweep(console, Stamen.Sweeps.BuiltinSweeps.Load(Stamen.Sweeps.Studies.SplitGridSweep.Name), p.GetValue(store), p.GetValue(quiet),
                "Solving the split grid", token);
            var cells = Stamen.Sweeps.Studies.SplitGridSweep.Cells(plan, Stamen.Sweeps.SweepResults.Summarize(plan, rows));
            console.Out.Write(SplitGridView.Table(cells));
            console.Out.Note("Means over links, sequence lengths and SLAs (2, 4 and 8 x the server-only latency); capacity gain = server-only work / program's work.");
            if (p.GetValue(markdown) is { } md)
            {
                AtomicFile.WriteAllText(md, SplitGridView.Markdown(cells));
                console.Out.Note($"Wrote {md}");
            }
            var report = SplitGridReportBuilder.Build(cells, CommandText.Of(p));
            if (p.GetValue(reportPath) is { } html) ReportOutput.Write(console.Out, html, report);
            if (p.GetValue(json) is { } path)
            {
                JsonOutput.Write(path, new SplitGridJson(cells), report);
                console.Out.Note($"Wrote {path}");
            }
            return 0;
        })));
        return command;
    }

    private sealed record LoraGridSettings(string Model, string Adapters, string Slots, string Ranks, double RatePerAdapter, double DurationS,
        string Policy, int Seed, string? Json, string? Markdown, string? Report, bool Quiet, string Command, string? Store);

    private static Command EngineLora(CliConsole console)
    {
        var model = new Option<string>("--model") { Description = "Model with a published LoRA profile", DefaultValueFactory = _ => "llama-3.1-8b", HelpName = "NAME" };
        var adapters = new Option<string>("--adapters") { Description = "Served adapter counts, comma-separated", DefaultValueFactory = _ => "8,32,96,192,384", HelpName = "LIST" };
        var slots = new Option<string>("--slots") { Description = "max_loras slot counts, comma-separated", DefaultValueFactory = _ => "8,16,32,64,128", HelpName = "LIST" };
        var ranks = new Option<string>("--ranks") { Description = "Adapter ranks, cycled over the adapters", DefaultValueFactory = _ => "8,16", HelpName = "LIST" };
        var rate = new Option<double>("--rate-per-adapter") { Description = "Poisson rate of each adapter, requests/s", DefaultValueFactory = _ => 0.05, HelpName = "R" };
        var duration = new Option<double>("--duration-s") { Description = "Simulated seconds of arrivals per cell", DefaultValueFactory = _ => 600, HelpName = "S" };
        var policy = new Option<string>("--policy") { Description = "Engine policy (the published twin: vLLM with chunked prefill)", DefaultValueFactory = _ => "sarathi", HelpName = "NAME" };
        var seed = new Option<int>("--seed") { Description = "Seed of the arrivals", DefaultValueFactory = _ => 1, HelpName = "S" };
        var json = CommonOptions.Json();
        var markdown = new Option<string?>("--markdown") { Description = "Also write the tables as Markdown (for docs/)", HelpName = "PATH" };
        var report = CommonOptions.Report();
        var quiet = CommonOptions.Quiet();
        var store = StoreOption("the built-in sweep engine-lora");
        var command = new Command("engine-lora",
            "The multi-LoRA twin's grid on one H100: throughput and starvation by served adapters and max_loras slots, with the published " +
            "load costs, step overhead and KV capacities; prompts 32-1024 and outputs 16-512 tokens, uniform")
        {
            model, adapters, slots, ranks, rate, duration, policy, seed, json, markdown, report, quiet, store,
        };
        command.SetAction((p, token) => Task.FromResult(CliRunner.Run(console, () => ExecuteLoraGrid(console, new LoraGridSettings(p.GetValue(model)!, p.GetValue(adapters)!, p.GetValue(slots)!,
            p.GetValue(ranks)!, p.GetValue(rate), p.GetValue(duration), p.GetValue(policy)!, p.GetValue(seed), p.GetValue(json), p.GetValue(markdown), p.GetValue(report), p.GetValue(quiet),
            CommandText.Of(p), p.GetValue(store)), token))));
        return command;
    }

    private static int ExecuteLoraGrid(CliConsole console, LoraGridSettings s, CancellationToken cancellation)
    {
        if (!(s.RatePerAdapter > 0)) throw new StamenInputException("--rate-per-adapter", s.RatePerAdapter.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be positive", "give e.g. 0.05");
        if (!(s.DurationS > 0)) throw new StamenInputException("--duration-s", s.DurationS.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be positive", "give e.g. 600");
        var setup = new Stamen.Experiments.LoraGridSetup(s.Model, Counts("--ranks", s.Ranks), s.RatePerAdapter, s.DurationS,
            new Stamen.Workload.UniformTokenCount(32, 1024), new Stamen.Workload.UniformTokenCount(16, 512), s.Policy, s.Seed);
        var adapters = Counts("--adapters", s.Adapters);
        var slots = Counts("--slots", s.Slots);
        // The grid runs as the built-in sweep engine-lora (`stamen sweep show engine-lora`), its fields and axes set from the options.
        var definition = Stamen.Sweeps.BuiltinSweeps.Load(Stamen.Sweeps.Studies.LoraGridSweep.Name) with
        {
            Axes = [Stamen.Sweeps.SweepAxis.Numbers("adapters", "adapters", adapters), Stamen.Sweeps.SweepAxis.Numbers("slots", "slots", slots)],
            Set =
            [
                new("model", Text(s.Model)),
                new("ranks", List(Counts("--ranks", s.Ranks).Select(r => Scalar(r)))),
                new("rate_per_adapter_per_s", Scalar(s.RatePerAdapter)),
                new("duration_s", Scalar(s.DurationS)),
                new("policies", List([Text(s.Policy)])),
                new("seed", Scalar(s.Seed)),
            ],
        };
        var (plan, rows) = RunSweep(console, definition, s.Store, s.Quiet, "Running the adapters x slots grid", cancellation);
        var cells = Stamen.Sweeps.Studies.LoraGridSweep.Cells(Stamen.Sweeps.SweepResults.Summarize(plan, rows));
        console.Out.Write(LoraGridView.Table(cells));
        console.Out.Note(FormattableString.Invariant($"{s.Model} on h100-sxm, {s.Policy}, {s.RatePerAdapter} req/s per adapter for {s.DurationS} s; starved: served below 0.9 of the offered token rate."));
        if (s.Markdown is not null)
        {
            AtomicFile.WriteAllText(s.Markdown, LoraGridView.Markdown(cells));
            console.Out.Note($"Wrote {s.Markdown}");
        }
        var report = LoraGridReportBuilder.Build(setup, cells, s.Command);
        if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, report);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new LoraGridJson(s.Model, s.Policy, s.RatePerAdapter, s.DurationS, s.Seed,
                [.. cells.Select(c => new LoraGridCellJson(c.Adapters, c.Slots, c.KvCapacityTokens, c.Metrics is not null, c.StarvedAdapters,
                    c.Metrics is { } m ? EngineMetricsJson.From(m) : null))]), report);
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private static int[] Counts(string option, string text) =>
        ListArguments.Ints(option, text, 1, int.MaxValue, "a positive whole number", "give a comma-separated list such as 8,16,32");

    private sealed record MilpGapSettings(int Instances, int Seed, string? Json, string? Markdown, string? Report, bool Quiet, string Command,
        string? Servers, string Clients, int Blocks, string Solver, string Formulation, double TimeLimitSeconds, string? Store);

    private static Command MilpGap(CliConsole console)
    {
        var instances = new Option<int>("--instances")
        {
            Description = "Instances to solve: small ones (3-5 servers, L 6/8/12, 1-2 clients), or with --servers that many per size",
            DefaultValueFactory = _ => 30,
            HelpName = "N",
        };
        var servers = new Option<string?>("--servers") { Description = "Fixed server counts, e.g. 8,12,16,20 (with --clients and --blocks; default: small random instances)", HelpName = "LIST" };
        var clients = new Option<string>("--clients") { Description = "Client counts with --servers", DefaultValueFactory = _ => "1,2", HelpName = "LIST" };
        var blocks = new Option<int>("--blocks") { Description = "Model blocks L with --servers", DefaultValueFactory = _ => 70, HelpName = "L" };
        var solver = new Option<string>("--solver") { Description = "MILP solver: cp-sat, scip, ortools-cbc or cbc", DefaultValueFactory = _ => "cp-sat", HelpName = "NAME" };
        var formulation = new Option<string>("--formulation") { Description = "block (tight) or link", DefaultValueFactory = _ => "block", HelpName = "NAME" };
        var limit = new Option<double>("--time-limit-s") { Description = "Time limit of each MILP solve", DefaultValueFactory = _ => 20, HelpName = "S" };
        var seed = new Option<int>("--seed") { Description = "Seed the instances are drawn from", DefaultValueFactory = _ => 1, HelpName = "S" };
        var json = CommonOptions.Json();
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table as Markdown (for docs/)", HelpName = "PATH" };
        var report = CommonOptions.Report();
        var quiet = CommonOptions.Quiet();
        var store = StoreOption("the built-in sweep milp-gap");
        var command = new Command("milp-gap",
            "Each scaling heuristic's per-token objective against the exact MILP optimum on small seeded instances, " +
            "with the instances where its plan cannot carry CG-BP's R sessions")
        {
            instances, seed, servers, clients, blocks, solver, formulation, limit, json, markdown, report, store, quiet,
        };
        command.SetAction((p, token) => Task.FromResult(CliRunner.Run(console, () => ExecuteMilpGap(console, new MilpGapSettings(
            p.GetValue(instances), p.GetValue(seed), p.GetValue(json), p.GetValue(markdown), p.GetValue(report), p.GetValue(quiet), CommandText.Of(p),
            p.GetValue(servers), p.GetValue(clients)!, p.GetValue(blocks), p.GetValue(solver)!, p.GetValue(formulation)!, p.GetValue(limit), p.GetValue(store)), token))));
        return command;
    }

    private static int ExecuteMilpGap(CliConsole console, MilpGapSettings s, CancellationToken cancellation)
    {
        if (s.Formulation is not ("block" or "link"))
            throw new StamenInputException("--formulation", s.Formulation, "unknown formulation", "use block or link");
        if (!(s.TimeLimitSeconds > 0 && s.TimeLimitSeconds <= 3600))
            throw new StamenInputException("--time-limit-s", s.TimeLimitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be in (0, 3600]", "give e.g. 20");
        if (s.Blocks is < 1 or > 200) throw new StamenInputException("--blocks", s.Blocks.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be in 1..200", "give e.g. 70");
        var sizes = s.Servers is null ? null
            : new MilpGapSizes(ListArguments.Ints("--servers", s.Servers, 1, 64, "a server count in 1..64", "give e.g. 8,12,16,20"),
                ListArguments.Ints("--clients", s.Clients, 1, 8, "a client count in 1..8", "give e.g. 1,2"), s.Blocks);
        MilpSolverCatalog.Create(s.Solver);
        MilpGapStudy.Draws(s.Instances, sizes);
        // The study runs as the built-in sweep milp-gap (`stamen sweep show milp-gap`): run r is instance r, so the exact
        // solves share the machine's cores and a kept store resumes.
        List<KeyValuePair<string, YamlDotNet.RepresentationModel.YamlNode?>> set =
        [
            new("seed", Scalar(s.Seed)),
            new("instances", Scalar(s.Instances)),
            new("time_limit_s", Scalar(s.TimeLimitSeconds)),
            new("solver", Text(s.Solver)),
            new("formulation", Text(s.Formulation)),
        ];
        if (sizes is not null)
            set.Add(new("sizes", new YamlDotNet.RepresentationModel.YamlMappingNode(
                Text("servers"), List(sizes.Servers.Select(n => Scalar(n))),
                Text("clients"), List(sizes.Clients.Select(n => Scalar(n))),
                Text("blocks"), Scalar(sizes.Blocks))));
        var definition = Stamen.Sweeps.BuiltinSweeps.Load(Stamen.Sweeps.Studies.MilpGapSweep.Name) with { Set = set };
        var (plan, rows) = RunSweep(console, definition, s.Store, s.Quiet, "Solving instances exactly", cancellation);
        var study = Stamen.Sweeps.Studies.MilpGapSweep.Report(plan, rows, s.Seed, s.TimeLimitSeconds);
        console.Out.Write(MilpGapView.Table(study));
        console.Out.Note(MilpGapView.MilpLine(study));
        console.Out.Note("Gap: (heuristic - MILP) / MILP of the sum over sessions of per-token time, where the heuristic's shortest-path routes fit memory.");
        if (s.Markdown is not null)
        {
            AtomicFile.WriteAllText(s.Markdown, MilpGapView.Markdown(study));
            console.Out.Note($"Wrote {s.Markdown}");
        }
        var report = MilpGapReportBuilder.Build(study, s.Command);
        if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, report);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new MilpGapJson(study.Seed, new TypicalRequestJson(study.Typical.PromptTokens, study.Typical.OutputTokens),
                study.TimeLimitSeconds, study.MilpOptimalCount, study.Summaries,
                [.. study.Instances.Select(i => new MilpGapInstanceJson(i.Index, i.Servers, i.Clients, i.Blocks, i.Sessions, i.ArrivalRatePerSec,
                    new MilpGapSolveJson(i.Milp.Status, i.Milp.ObjectiveMs, i.Milp.BestBoundMs, i.Milp.Gap,
                        i.Milp.Start is { } st ? new MilpGapStartJson(st.Name, st.ObjectiveMs) : null, i.Milp.Notes,
                        [.. i.Milp.Spans.Select(b => new SpanJson(b.Start, b.Count))]),
                    [.. i.Heuristics.Select(h => new MilpGapHeuristicJson(h.Algorithm, h.ObjectiveMs, h.GapPercent(i.Milp.ObjectiveMs), h.RoutesFitMemory,
                        h.OwnPoolHolds, h.CanCarrySessions, h.Planned))]))],
                // Wall clock, the only part that differs between two runs with the same seed.
                new MilpGapTimingsJson([.. study.Instances.Select(i => i.Milp.SolveTimeMs)])), report);
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    /// <summary>
    /// Runs a study's sweep into its own store (kept with <paramref name="store"/>, so a rerun resumes; else a temporary
    /// one) and reads its rows back: the studies run through the same executor and store as `stamen sweep run`.
    /// </summary>
    private static (Stamen.Sweeps.SweepPlan Plan, IReadOnlyList<Stamen.Sweeps.SweepRecord> Rows) RunSweep(CliConsole console,
        Stamen.Sweeps.SweepDefinition definition, string? store, bool quiet, string description, CancellationToken cancellation)
    {
        var plan = Stamen.Sweeps.SweepPlanner.Plan(definition);
        var temporary = store is null ? Path.Combine(Path.GetTempPath(), $"stamen-{definition.Name}-{Environment.ProcessId}-{Guid.NewGuid():N}") : null;
        var results = new Stamen.Sweeps.SweepStore(store ?? temporary!);
        try
        {
            var run = ProgressView.Run(console.Out, description, quiet,
                progress => Stamen.Sweeps.SweepRunner.Run(plan, results, Stamen.Sweeps.SweepShard.All, progress: progress, cancellation: cancellation));
            if (run.Cancelled) throw new OperationCanceledException();
            return (plan, results.Read(plan).Rows);
        }
        finally
        {
            if (temporary is not null && Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>A number as the YAML a study's sweep sets (culture-invariant, as a file would hold it).</summary>
    private static YamlDotNet.RepresentationModel.YamlScalarNode Scalar(IFormattable value) =>
        new YamlDotNet.RepresentationModel.YamlScalarNode(value.ToString(null, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A text value as YAML.</summary>
    private static YamlDotNet.RepresentationModel.YamlScalarNode Text(string value) => new YamlDotNet.RepresentationModel.YamlScalarNode(value);

    /// <summary>A list of values as YAML.</summary>
    private static YamlDotNet.RepresentationModel.YamlSequenceNode List(IEnumerable<YamlDotNet.RepresentationModel.YamlNode> items) =>
        new YamlDotNet.RepresentationModel.YamlSequenceNode(items);

    /// <summary>A study's sweep file under --examples, with a clear error where it is missing.</summary>
    private static Stamen.Sweeps.SweepDefinition StudySweep(string examples, string file)
    {
        if (!Directory.Exists(examples))
            throw new StamenInputException(examples, "--examples", "folder not found", "run from the repository root or pass --examples path/to/examples");
        return Stamen.Sweeps.SweepParser.ParseFile(Path.Combine(examples, file));
    }

    private static int Execute(CliConsole console, Settings s, CancellationToken cancellation)
    {
        var definition = StudySweep(s.Examples, Stamen.Sweeps.Studies.GeoSweep.File);
        if (s.AllAlgorithms)
            definition = definition with { Algorithms = [.. GeoStudy.AllScalableAlgorithms.Select(a => Text(a.Name))] };
        if (s.Runs is { } runs) definition = definition with { Runs = runs };
        var (plan, rows) = RunSweep(console, definition, s.Store, s.Quiet, "Reproducing the scattered-setup grid", cancellation);
        var cells = Stamen.Sweeps.Studies.GeoSweep.Cells(plan, Stamen.Sweeps.SweepResults.Summarize(plan, rows));
        console.Out.Write(s.AllAlgorithms ? GeoStudyView.LongTable(cells) : GeoStudyView.Table(cells));
        console.Out.Note("Mean time per token in seconds (95% CI half-width); reduction in % of each algorithm against its baseline: " +
            "*-published (the published simulator's rules, the paper's comparison) against petals-published, the others (Stamen's realistic rules) against petals.");
        if (s.Markdown is not null)
        {
            AtomicFile.WriteAllText(s.Markdown, s.AllAlgorithms ? GeoStudyView.LongMarkdown(cells) : GeoStudyView.Markdown(cells));
            console.Out.Note($"Wrote {s.Markdown}");
        }
        var report = GeoStudyReportBuilder.Build(cells, s.AllAlgorithms, s.Command);
        if (s.Report is not null) ReportOutput.Write(console.Out, s.Report, report);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new GeoStudyJson([.. cells.Select(c => new GeoCellJson(c.Scenario, c.RatePerSec, c.OutputTokens, c.FixedDelays,
                ComparisonJson.From(c.Results)))]), report);
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }
}

/// <summary>The JSON shape of `stamen reproduce helix --json`.</summary>
internal sealed record HelixStudyJson(double WarmupS, double DurationS, int Seed, bool LayerByLayer, IReadOnlyList<HelixStudyRow> Rows);

/// <summary>The JSON shape of `stamen reproduce split --json`.</summary>
internal sealed record SplitGridJson(IReadOnlyList<SplitGridCell> Cells);

/// <summary>The JSON shape of `stamen reproduce engine-lora --json`.</summary>
internal sealed record LoraGridJson(string Model, string Policy, double RatePerAdapterPerS, double DurationS, int Seed, IReadOnlyList<LoraGridCellJson> Cells);

internal sealed record LoraGridCellJson(int Adapters, int Slots, long? KvCapacityTokens, bool Starts, int StarvedAdapters, EngineMetricsJson? Metrics);

/// <summary>The JSON shape of `stamen reproduce milp-gap --json`; <see cref="Timings"/> is wall clock.</summary>
internal sealed record MilpGapJson(int Seed, TypicalRequestJson Typical, double TimeLimitS, int MilpOptimal, IReadOnlyList<MilpGapSummary> Summaries,
    IReadOnlyList<MilpGapInstanceJson> Instances, MilpGapTimingsJson Timings);

internal sealed record TypicalRequestJson(int PromptTokens, int OutputTokens);

internal sealed record MilpGapInstanceJson(int Index, int Servers, int Clients, int Blocks, int Sessions, double RatePerS, MilpGapSolveJson Milp,
    IReadOnlyList<MilpGapHeuristicJson> Heuristics);

internal sealed record MilpGapSolveJson(MilpStatus Status, double ObjectiveMs, double BoundMs, double Gap, MilpGapStartJson? Start, IReadOnlyList<string> Notes,
    IReadOnlyList<SpanJson> Spans);

internal sealed record MilpGapStartJson(string From, double ObjectiveMs);

/// <summary>A block span: the first block and how many.</summary>
internal sealed record SpanJson(int Start, int Count);

internal sealed record MilpGapHeuristicJson(string Algorithm, double ObjectiveMs, double GapPercent, bool RoutesFitMemory, bool OwnPoolHolds, bool CanCarrySessions,
    bool Planned);

internal sealed record MilpGapTimingsJson(IReadOnlyList<double> MilpSolveMs);

/// <summary>The JSON shape of `stamen reproduce geo --json`.</summary>
internal sealed record GeoStudyJson(IReadOnlyList<GeoCellJson> Cells);

internal sealed record GeoCellJson(string Scenario, double RatePerS, int OutputTokens, bool FixedDelays, ComparisonJson Comparison);
