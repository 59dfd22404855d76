using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Stamen.Cli.Rendering;
using Stamen.IO;
using Stamen.Reporting.Studies;
using Stamen.Sweeps;
using Stamen.Sweeps.Executors;

namespace Stamen.Cli.Commands;

/// <summary>
/// `stamen sweep plan|run|submit|status|collect|report`: declarative studies (docs/sweeps.md). A sweep file expands into
/// cells with stable ids; `run` executes them here (or one shard of them), `submit` hands shards to Slurm or Kubernetes,
/// and every finished run lands in a Parquet store that `collect` merges and `report` reads.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("sweep", "Declarative studies: axes over a scenario's fields x algorithms x seeds, run here, by shard, on Slurm or Kubernetes, into a Parquet store");
        command.Subcommands.Add(ShowCommand(console));
        command.Subcommands.Add(PlanCommand(console));
        command.Subcommands.Add(RunCommand(console));
        command.Subcommands.Add(SubmitCommand(console));
        command.Subcommands.Add(StatusCommand(console));
        command.Subcommands.Add(CollectCommand(console));
        command.Subcommands.Add(ReportCommand(console));
        return command;
    }

    private static Argument<string> FileArgument() => new("file")
    {
        Description = $"Sweep file (YAML; examples/sweeps/ holds examples), or a built-in sweep: {string.Join(", ", BuiltinSweeps.Names)}",
    };

    private static Option<string?> StoreOption() => new("--store")
    {
        Description = "Results folder (Parquet files, one per shard); default sweep-results/NAME in the current folder",
        HelpName = "DIR",
    };

    private static Option<string?> ShardOption() => new("--shard")
    {
        Description = "Run only shard K of N (0-based), e.g. 3/8 or $SLURM_ARRAY_TASK_ID/8; default: every cell",
        HelpName = "K/N",
    };

    private static SweepPlan Plan(CliConsole console, string file, bool quiet) =>
        ProgressView.Run(console.Out, "Reading the sweep's cells", quiet, progress => SweepPlanner.Plan(BuiltinSweeps.Load(file), progress));

    private static SweepStore Store(SweepPlan plan, string? store) => new(store ?? Path.Combine("sweep-results", Slug(plan.Definition.Name)));

    private static string Slug(string name)
    {
        var slug = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]).Trim('.');
        return slug.Length == 0 ? "sweep" : slug;
    }

    private static Command ShowCommand(CliConsole console)
    {
        var name = new Argument<string>("name") { Description = $"A built-in sweep ({string.Join(", ", BuiltinSweeps.Names)}) or a study family's default cell (lora-grid, split-grid)" };
        var command = new Command("show", "Print a built-in sweep or cell file, to save and edit") { name };
        command.SetAction(p => CliRunner.Run(console, () =>
        {
            var text = BuiltinSweeps.Text(p.GetValue(name)!)
                ?? throw new StamenInputException("(built-in sweeps)", p.GetValue(name)!, "no such built-in", $"use one of: {string.Join(", ", BuiltinSweeps.Names)}, lora-grid, split-grid");
            console.Plain.Write(text);
            return 0;
        }));
        return command;
    }

    private static Command PlanCommand(CliConsole console)
    {
        var file = FileArgument();
        var json = CommonOptions.Json();
        var all = new Option<bool>("--all") { Description = "List every cell (default: the first 40)" };
        var command = new Command("plan", "Print a sweep's cells (each with its stable id), algorithms and run count, without running anything") { file, all, json };
        command.SetAction(p => CliRunner.Run(console, () =>
        {
            var plan = Plan(console, p.GetValue(file)!, quiet: false);
            SweepView.WritePlan(console.Out, plan, p.GetValue(all) ? int.MaxValue : 40);
            WriteJson(console, p.GetValue(json), SweepView.PlanJson(plan));
            return 0;
        }));
        return command;
    }

    private static Command RunCommand(CliConsole console)
    {
        var file = FileArgument();
        var store = StoreOption();
        var shard = ShardOption();
        var parallel = new Option<int?>("--parallel") { Description = "Runs at once (default: every core of this machine)", HelpName = "N" };
        parallel.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && int.TryParse(r.Tokens[^1].Value, CultureInfo.InvariantCulture, out var n) && n is < 1 or > 1024)
                r.AddError($"--parallel {n}: give 1..1024");
        });
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("run",
            "Run a sweep (or one shard) on this machine into its store; runs already there are skipped, so rerunning resumes; Ctrl+C keeps what finished")
        {
            file, store, shard, parallel, json, quiet,
        };
        command.SetAction((p, token) => Task.FromResult(CliRunner.Run(console, () =>
        {
            var s = p.GetValue(shard) is { } text ? SweepShard.Parse(text, "--shard") : SweepShard.All;
            var plan = Plan(console, p.GetValue(file)!, p.GetValue(quiet));
            var results = Store(plan, p.GetValue(store));
            var summary = ProgressView.Run(console.Out, $"Running {plan.Definition.Name} (shard {s})", p.GetValue(quiet),
                progress => SweepRunner.Run(plan, results, s, p.GetValue(parallel), progress, token));
            SweepView.WriteRun(console.Out, plan, summary);
            WriteJson(console, p.GetValue(json), SweepView.RunJson(plan, summary));
            if (summary.Cancelled)
            {
                console.Error.WriteLine($"stopped: {summary.Skipped + summary.Ran} of {summary.Items} items are in the store; run the same command again to finish");
                return 130;
            }
            return 0;
        })));
        return command;
    }

    private static Command SubmitCommand(CliConsole console)
    {
        var file = FileArgument();
        var store = StoreOption();
        var executor = new Option<string>("--executor") { Description = "slurm (writes and submits an sbatch job array) or k8s (writes an Indexed Job manifest; needs --dry-run)", Required = true, HelpName = "NAME" };
        executor.AcceptOnlyFromAmong("slurm", "k8s");
        var shards = new Option<int>("--shards") { Description = "Array tasks, each running one shard (1..100,000; Slurm's default MaxArraySize allows 1,001)", DefaultValueFactory = _ => 8, HelpName = "N" };
        var cpus = new Option<int>("--cpus-per-task") { Description = "Cores per task (its --parallel)", DefaultValueFactory = _ => 1, HelpName = "N" };
        var time = new Option<string?>("--time") { Description = "Slurm only: time limit per task, e.g. 01:00:00", HelpName = "TIME" };
        var mem = new Option<string?>("--mem") { Description = "Memory per task, e.g. 4G", HelpName = "SIZE" };
        var partition = new Option<string?>("--partition") { Description = "Slurm only: partition", HelpName = "NAME" };
        var maxRunning = new Option<int?>("--max-running") { Description = "Most tasks at once (Slurm: --array=0-N%M; k8s: parallelism)", HelpName = "M" };
        var stamen = new Option<string?>("--stamen") { Description = "Command that runs stamen on the nodes, words split at spaces (default: this one, e.g. `dotnet /path/stamen.dll`; k8s: stamen)", HelpName = "CMD" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write the script or manifest and print how to submit it, without submitting" };
        var image = new Option<string?>("--image") { Description = "k8s: container image with the stamen command", HelpName = "IMAGE" };
        var pvc = new Option<string>("--pvc") { Description = "k8s: PersistentVolumeClaim holding the sweep, its scenarios and the store", DefaultValueFactory = _ => "stamen-work", HelpName = "NAME" };
        var mount = new Option<string>("--mount") { Description = "k8s: where the claim is mounted (the pods' working folder)", DefaultValueFactory = _ => "/work", HelpName = "PATH" };
        var output = new Option<string?>("--output") { Description = "Where to write the script or manifest (default: in the store folder)", HelpName = "PATH" };
        var json = CommonOptions.Json();
        var command = new Command("submit", "Run a sweep as a job array: Slurm (sbatch --array, one shard per task) or a Kubernetes Indexed Job manifest")
        {
            file, store, executor, shards, cpus, time, mem, partition, maxRunning, stamen, dryRun, image, pvc, mount, output, json,
        };
        command.SetAction(p => CliRunner.Run(console, () =>
        {
            var plan = Plan(console, p.GetValue(file)!, quiet: false);
            var results = Store(plan, p.GetValue(store));
            var k8s = p.GetValue(executor) == "k8s";
            // A built-in sweep is named, not a path: every node's stamen has it.
            var sweepFile = File.Exists(p.GetValue(file)!) ? Path.GetFullPath(p.GetValue(file)!) : p.GetValue(file)!;
            var settings = new JobSettings(StamenWords(p.GetValue(stamen)), sweepFile, results.Directory, Directory.GetCurrentDirectory(),
                p.GetValue(shards), p.GetValue(cpus), p.GetValue(time), p.GetValue(mem), p.GetValue(partition), p.GetValue(maxRunning)).Validated();
            if (k8s)
            {
                if (!p.GetValue(dryRun))
                    throw new StamenInputException("--executor", "k8s", "Stamen writes the manifest but does not talk to Kubernetes", "add --dry-run and submit the file with kubectl apply -f");
                var img = p.GetValue(image) ?? throw new StamenInputException("--image", "(missing)", "the pods need an image with the stamen command", "give --image REGISTRY/stamen:TAG (docs/sweeps.md builds one)");
                var mountPath = p.GetValue(mount)!;
                var storeInPod = Path.GetRelativePath(Directory.GetCurrentDirectory(), results.Directory);
                if (File.Exists(p.GetValue(file)!) && (Path.IsPathRooted(p.GetValue(file)!) || p.GetValue(file)!.StartsWith("..", StringComparison.Ordinal)))
                    throw new StamenInputException("(sweep file)", p.GetValue(file)!, "pods see the current folder at --mount, so the sweep file must lie below it",
                        "run from the folder the volume holds and give the sweep file's relative path");
                if (Path.IsPathRooted(storeInPod) || storeInPod.StartsWith("..", StringComparison.Ordinal))
                    throw new StamenInputException("--store", results.Directory, "pods see the current folder at --mount, so the store must lie below it", "give a relative --store");
                // Inside the pods, paths are the ones given here, taken from the mount.
                var inPod = settings with { SweepFile = p.GetValue(file)!, Store = storeInPod, WorkingDirectory = mountPath, Stamen = p.GetValue(stamen) is { } s ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : ["stamen"] };
                var manifest = KubernetesExecutor.Manifest(plan.Definition.Name, inPod, new KubernetesSettings(img, p.GetValue(pvc)!, mountPath));
                var path = p.GetValue(output) ?? Path.Combine(results.Directory, "k8s-job.yaml");
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                AtomicFile.WriteAllText(path, manifest);
                console.Out.Note($"Wrote {path}: {settings.Shards} indexed pods for {plan.Items.Count:N0} items ({plan.RunCount:N0} runs)");
                console.Out.Note($"Submit it with: kubectl apply -f {path}; then `stamen sweep collect {p.GetValue(file)} --store {results.Directory}` on the volume");
                WriteSubmitJson(p.GetValue(json), plan, settings, path, null);
                return 0;
            }
            if (results.Directory.Any(char.IsWhiteSpace))
                throw new StamenInputException("--store", results.Directory, "sbatch's --output cannot hold spaces", "give a store path without spaces");
            SweepRunner.Claim(results, plan);
            var slurmDir = Path.Combine(results.Directory, "slurm");
            Directory.CreateDirectory(slurmDir); // sbatch fails its tasks silently when the --output folder is missing
            var script = p.GetValue(output) ?? Path.Combine(slurmDir, "sweep.sbatch");
            AtomicFile.WriteAllText(script, SlurmExecutor.Script(plan.Definition.Name, settings));
            if (p.GetValue(dryRun))
            {
                console.Out.Note($"Wrote {script}: {settings.Shards} array tasks for {plan.Items.Count:N0} items ({plan.RunCount:N0} runs); submit it with: sbatch {script}");
                WriteSubmitJson(p.GetValue(json), plan, settings, script, null);
                return 0;
            }
            if (!SlurmExecutor.Available())
                throw new StamenInputException("--executor", "slurm", "sbatch is not available on this machine", "run on a Slurm login node, or add --dry-run to only write the script");
            var job = SlurmExecutor.Submit(script, Directory.GetCurrentDirectory());
            File.AppendAllText(Path.Combine(slurmDir, "jobs.txt"), FormattableString.Invariant($"{job} {settings.Shards}\n"));
            console.Out.Note($"Submitted job {job}: {settings.Shards} array tasks ({script}); follow it with `stamen sweep status {p.GetValue(file)} --store {results.Directory}`");
            WriteSubmitJson(p.GetValue(json), plan, settings, script, job);
            return 0;
        }));
        return command;
    }

    private static void WriteJson<T>(CliConsole console, string? path, T value, Stamen.Reporting.Report? report = null)
    {
        if (path is null) return;
        if (report is null) JsonOutput.Write(path, value);
        else JsonOutput.Write(path, value, report);
        console.Out.Note($"Wrote {path}");
    }

    /// <summary>The store's rows of the plan; none is an error (the sweep has not run into this store).</summary>
    private static SweepStoreContents ReadSome(SweepStore results, SweepPlan plan, string file)
    {
        var contents = results.Read(plan);
        if (contents.Rows.Count == 0)
            throw new StamenInputException(results.Directory, "--store", "holds no results of this sweep", $"run it first: stamen sweep run {file} --store {results.Directory}");
        return contents;
    }

    private static void WriteSubmitJson(string? path, SweepPlan plan, JobSettings settings, string script, string? job)
    {
        if (path is null) return;
        JsonOutput.Write(path, new SweepSubmitJson(plan.Definition.Name, settings.Shards, plan.Items.Count, plan.RunCount, script, job));
    }

    /// <summary>How this process was started, as the command a job runs: the app host, or `dotnet stamen.dll`.</summary>
    private static string[] StamenWords(string? given)
    {
        if (given is not null)
        {
            var words = given.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return words.Length > 0 ? words : throw new StamenInputException("--stamen", given, "is empty", "give the command, e.g. /opt/stamen/stamen");
        }
        var process = Environment.ProcessPath ?? "stamen";
        // Under `dotnet stamen.dll` the entry assembly is the file beside the app's base folder; a native (AOT) build is the process itself.
        var entry = Path.Combine(AppContext.BaseDirectory, "stamen.dll");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && File.Exists(entry) ? [process, entry] : [process];
    }

    private static Command StatusCommand(CliConsole console)
    {
        var file = FileArgument();
        var store = StoreOption();
        var json = CommonOptions.Json();
        var command = new Command("status", "How much of a sweep is in its store (per shard file), and its Slurm tasks' states where Slurm is here") { file, store, json };
        command.SetAction(p => CliRunner.Run(console, () =>
        {
            var plan = Plan(console, p.GetValue(file)!, quiet: false);
            var results = Store(plan, p.GetValue(store));
            var contents = results.Read(plan);
            var jobs = Path.Combine(results.Directory, "slurm", "jobs.txt");
            string? job = File.Exists(jobs) ? BoundedFile.ReadAllText(jobs, 1 << 20, "job list").Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Split(' ')[0] : null;
            var tasks = job is null ? null : SlurmExecutor.Query(job);
            var present = contents.Rows.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
            var complete = plan.Items.Count(i => SweepRunner.Done(plan, i, present));
            SweepView.WriteStatus(console.Out, plan, results, contents, complete, job, tasks);
            WriteJson(console, p.GetValue(json), SweepView.StatusJson(plan, contents, complete, job, tasks));
            return 0;
        }));
        return command;
    }

    private static Command CollectCommand(CliConsole console)
    {
        var file = FileArgument();
        var store = StoreOption();
        var json = CommonOptions.Json();
        var command = new Command("collect", $"Merge the shards' files into one {SweepStore.MergedFile} in the store (plan order, one row per run), and say what is missing")
        {
            file, store, json,
        };
        command.SetAction(p => CliRunner.Run(console, () =>
        {
            var plan = Plan(console, p.GetValue(file)!, quiet: false);
            var results = Store(plan, p.GetValue(store));
            var contents = ReadSome(results, plan, p.GetValue(file)!);
            results.WriteMerged(plan, contents.Rows);
            var missing = plan.RunCount - contents.Rows.Count;
            console.Out.Note(FormattableString.Invariant($"Merged {contents.Rows.Count:N0} runs from {contents.Files.Count} file(s) into {results.MergedPath}") +
                (missing > 0 ? FormattableString.Invariant($"; {missing:N0} runs are missing: submit or run again (what is there is skipped)") : "; the sweep is complete"));
            if (contents.Duplicates > 0)
                console.Out.Note(FormattableString.Invariant($"{contents.Duplicates:N0} runs were in more than one file (kept once); {contents.Conflicts:N0} of them differed"));
            WriteJson(console, p.GetValue(json), new SweepCollectJson(plan.Definition.Name, results.MergedPath, contents.Rows.Count, plan.RunCount, missing,
                contents.Duplicates, contents.Conflicts, contents.Foreign));
            return 0;
        }));
        return command;
    }

    private static Command ReportCommand(CliConsole console)
    {
        var file = FileArgument();
        var store = StoreOption();
        var metrics = new Option<string?>("--metrics") { Description = "Metrics to show, comma-separated (default: the sweep's metrics:, else the family's headline ones)", HelpName = "LIST" };
        var json = CommonOptions.Json();
        var report = CommonOptions.Report();
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table as Markdown", HelpName = "PATH" };
        var command = new Command("report", "Summarise a sweep's store: mean and 95% half-width per cell and algorithm, as a table, an HTML report and JSON")
        {
            file, store, metrics, json, report, markdown,
        };
        command.SetAction(p => CliRunner.Run(console, () =>
        {
            var plan = Plan(console, p.GetValue(file)!, quiet: false);
            var results = Store(plan, p.GetValue(store));
            var contents = ReadSome(results, plan, p.GetValue(file)!);
            var shown = p.GetValue(metrics) is { } list
                ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : (plan.Definition.Metrics ?? plan.Family.ReportMetrics).Take(6).ToList();
            var summaries = SweepResults.Summarize(plan, contents.Rows);
            var known = summaries.SelectMany(c => c.Algorithms.SelectMany(a => a.Metrics.Select(m => m.Key))).ToHashSet(StringComparer.Ordinal);
            foreach (var m in shown)
                if (!known.Contains(m))
                    throw new StamenInputException("--metrics", m, "no run in the store has this metric", $"use one of: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
            var built = SweepReportBuilder.Build(plan, summaries, shown, results.Directory, CommandText.Of(p));
            var table = SweepReportBuilder.Table(plan, summaries, shown);
            SweepView.WriteTable(console.Out, table);
            var missing = plan.RunCount - contents.Rows.Count;
            if (missing > 0) console.Out.Note(FormattableString.Invariant($"{missing:N0} of {plan.RunCount:N0} runs are not in the store yet; means are over the runs found."));
            if (p.GetValue(markdown) is { } md)
            {
                AtomicFile.WriteAllText(md, SweepView.Markdown(table));
                console.Out.Note($"Wrote {md}");
            }
            if (p.GetValue(report) is { } html) ReportOutput.Write(console.Out, html, built);
            WriteJson(console, p.GetValue(json), new SweepReportJson(plan.Definition.Name, plan.Definition.Family, contents.Rows.Count, plan.RunCount,
                [.. summaries.Select(c => new SweepCellReportJson(c.Cell.Index, c.Cell.Id, c.Cell.Base.Label,
                    [.. plan.Definition.Axes.Select((a, i) => new SweepAxisValueJson(a.Name, c.Cell.Labels[i]))], c.Cell.ScenarioName,
                    [.. c.Algorithms.Select(a => new SweepAlgorithmReportJson(a.Algorithm, a.Runs, a.ExpectedRuns,
                        a.Metrics.ToDictionary(m => m.Key, m => new SweepMetricJson(m.Value.Mean, m.Value.HalfWidth95))))]))]), built);
            return 0;
        }));
        return command;
    }
}

/// <summary>The JSON shape of `stamen sweep submit --json`.</summary>
internal sealed record SweepSubmitJson(string Sweep, int Shards, int Items, long Runs, string Script, string? JobId);

/// <summary>The JSON shape of `stamen sweep collect --json`.</summary>
internal sealed record SweepCollectJson(string Sweep, string Merged, int Runs, long Expected, long Missing, int Duplicates, int Conflicts, int Foreign);

/// <summary>The JSON shape of `stamen sweep report --json` (with the report under <c>report</c>).</summary>
internal sealed record SweepReportJson(string Sweep, string Family, int Runs, long Expected, IReadOnlyList<SweepCellReportJson> Cells);

internal sealed record SweepCellReportJson(int Cell, string Id, string Base, IReadOnlyList<SweepAxisValueJson> Axes, string Scenario,
    IReadOnlyList<SweepAlgorithmReportJson> Algorithms);

internal sealed record SweepAxisValueJson(string Name, string Value);

internal sealed record SweepAlgorithmReportJson(string Algorithm, int Runs, int ExpectedRuns, Dictionary<string, SweepMetricJson> Metrics);

internal sealed record SweepMetricJson(double Mean, double Ci95HalfWidth);
