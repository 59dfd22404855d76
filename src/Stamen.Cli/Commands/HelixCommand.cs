using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Stamen.Cli.Rendering;
using Stamen.Helix;
using Stamen.Simulation.Cluster;
using Stamen.Workload;

namespace Stamen.Cli.Commands;

/// <summary>`stamen helix flow`: the static max flow (tokens/s) of a placement on a Helix cluster (issue 16).</summary>
internal static class HelixCommand
{
    private sealed record FlowSettings(string Cluster, string Layout, string? Throughputs, string Model, string? Profiles, bool EnterMidSpan, string? Json,
        int Improve, int Seed, string? Export, bool Quiet);

    public static Command Create(CliConsole console) =>
        new("helix", "Heterogeneous clusters as Helix describes them: read its cluster, placement and throughput files")
        {
            Flow(console),
            Plan(console),
            Simulate(console),
            Milp(console),
        };

    private sealed record MilpSettings(string Model, string Solver, double TimeLimitSeconds, string? Start, string? Json, bool Quiet);

    private static Command Milp(CliConsole console)
    {
        var model = new Argument<string>("model") { Description = "A MILP in LP format, e.g. data/helix/milp/cluster10-llama1-30b/ilp_model.lp" };
        var solver = new Option<string>("--solver") { Description = "scip, cbc or ortools-cbc (Helix's model has continuous flows, which cp-sat cannot take)", DefaultValueFactory = _ => "scip", HelpName = "NAME" };
        var limit = new Option<double>("--time-limit-s") { Description = "Time limit of the solve", DefaultValueFactory = _ => 60, HelpName = "S" };
        var start = new Option<string?>("--start") { Description = "A solution file (name value per line, e.g. Gurobi's ilp_solution.sol) to start from", HelpName = "PATH" };
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("milp", "Solve a placement MILP written in LP format (Helix's instances) with one of Stamen's solvers: status, objective, bound, time")
        {
            model, solver, limit, start, json, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => RunMilp(console, new MilpSettings(p.GetValue(model)!, p.GetValue(solver)!, p.GetValue(limit), p.GetValue(start), p.GetValue(json), p.GetValue(quiet)))));
        return command;
    }

    private static int RunMilp(CliConsole console, MilpSettings s)
    {
        if (!(s.TimeLimitSeconds > 0 && s.TimeLimitSeconds <= 86_400))
            throw new StamenInputException("--time-limit-s", s.TimeLimitSeconds.ToString(CultureInfo.InvariantCulture), "must be in (0, 86400]", "give e.g. 60");
        var solver = Stamen.Optimization.Milp.MilpSolverCatalog.Create(s.Solver);
        var model = Stamen.Optimization.Milp.LpFormat.Load(s.Model);
        var startValues = s.Start is null ? null : Stamen.Optimization.Milp.LpFormat.ReadSolution(s.Start, model);
        var options = new Stamen.Optimization.Milp.MilpOptions { TimeLimitSeconds = s.TimeLimitSeconds, StartValues = startValues };
        // The solvers report no progress of their own: the display shows that the solve runs, up to its time limit.
        var result = ProgressView.Run(console.Out, $"Solving with {s.Solver} (at most {s.TimeLimitSeconds:0.#} s)", s.Quiet, progress =>
        {
            progress?.Report(new ExperimentProgress(0, 1));
            var solved = solver.Solve(model, options);
            progress?.Report(new ExperimentProgress(1, 1));
            return solved;
        });
        console.Out.Heading(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(s.Model)))}: {model.Variables.Count} variables ({model.Variables.Count(v => v.IsInteger)} integer), {model.Constraints.Count} rows"));
        console.Out.Note(string.Create(CultureInfo.InvariantCulture,
            $"{s.Solver}: {result.Status}, objective {result.ObjectiveValue:0.##}, bound {result.BestBound:0.##}, gap {(double.IsFinite(result.Gap) && Math.Abs(result.ObjectiveValue) > 1e-9 ? (result.Gap * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-")}, {result.SolveTimeMs / 1000:0.0} s"));
        foreach (var note in result.Notes) console.Out.Note(note);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new HelixMilpJson(s.Model, s.Solver, s.TimeLimitSeconds, s.Start is not null, result.Status, result.ObjectiveValue,
                result.BestBound, result.Gap, result.Notes, new HelixMilpTimingsJson(result.SolveTimeMs)));
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private sealed record PlanSettings(string Cluster, string Planner, string Model, string? Throughputs, string? Profiles, string? Export, string? Json, bool Quiet);

    private static Command Plan(CliConsole console)
    {
        var cluster = new Argument<string>("cluster") { Description = "Helix cluster file (INI), e.g. data/helix/clusters/cluster10.ini" };
        var planner = new Option<string>("--planner") { Description = "helix, flow-search, swarm or separate-pipelines (stamen catalog cluster-placements)", DefaultValueFactory = _ => "helix", HelpName = "NAME" };
        var model = new Option<string>("--model") { Description = "llama2_70b or llama1_30b", DefaultValueFactory = _ => "llama2_70b", HelpName = "NAME" };
        var throughputs = ThroughputsOption();
        var profiles = ProfilesOption();
        var export = new Option<string?>("--export") { Description = "Write the placement in Helix's solution format", HelpName = "PATH" };
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("plan", "Place the model's layers on a Helix cluster with a cluster placement planner: its static max flow, and for helix what the MILP proved")
        {
            cluster, planner, model, throughputs, profiles, export, json, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => RunPlan(console, new PlanSettings(p.GetValue(cluster)!, p.GetValue(planner)!, p.GetValue(model)!,
            p.GetValue(throughputs), p.GetValue(profiles), p.GetValue(export), p.GetValue(json), p.GetValue(quiet)))));
        return command;
    }

    private static int RunPlan(CliConsole console, PlanSettings s)
    {
        var model = HelixModel.Find(s.Model, "--model", s.Model);
        var entry = ClusterPlacementCatalog.Planners.Find(s.Planner, "--planner", s.Planner);
        var helixCluster = HelixClusterFile.Load(s.Cluster);
        var profiles = LoadProfiles(s.Cluster, s.Profiles, model);
        var tables = Tables(helixCluster, s.Cluster, model, profiles, s.Throughputs);
        var input = new ClusterPlanningInput(helixCluster, HelixClusterSetup.ToCluster(helixCluster, profiles, model, s.Cluster), tables);
        var planner = entry.Create();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = ProgressView.Run(console.Out, $"Planning with {entry.Name}", s.Quiet, _ => planner is HelixMilpPlanner milp ? milp.PlanWithProof(input) : null);
        var spans = result?.Spans ?? planner.Plan(input);
        var planMs = watch.Elapsed.TotalMilliseconds;
        var covered = tables.Covers(spans);
        var flow = covered ? PlacementMaxFlow.Compute(spans, model.Layers, tables).TokensPerSec : double.NaN;
        var bound = SpanFlowMilp.ComputeBound(helixCluster.Nodes.Count, model.Layers, tables);

        console.Out.Write(SpansTable(helixCluster, spans, tables));
        console.Out.Heading(string.Create(CultureInfo.InvariantCulture,
            $"{helixCluster.Name}, {entry.Name}: static max flow {(double.IsFinite(flow) ? flow.ToString("N2", CultureInfo.InvariantCulture) : "- (spans beyond T_i(k))")} tokens/s; compute bound {bound:N2}"));
        if (result is not null)
        {
            var solve = result.Solve;
            console.Out.Note(string.Create(CultureInfo.InvariantCulture,
                $"start (flow-search) {result.StartTokensPerSec:N2}; {result.Note}{(solve is null ? "" : $"; MILP objective {solve.ObjectiveValue:N2}, bound {solve.BestBound:N2}, {solve.SolveTimeMs / 1000:0.0} s")}"));
        }
        Export(console, s.Export, spans);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new HelixPlanJson(helixCluster.Name, model.ProfileName, entry.Name, covered ? flow : null, bound, result?.StartTokensPerSec,
                result?.Solve is { } m ? new HelixPlanMilpJson(m.Status.ToString(), m.ObjectiveValue, m.BestBound, m.Notes) : null, result?.Note,
                NodesJson(helixCluster, spans), new HelixPlanTimingsJson(planMs, result?.Solve?.SolveTimeMs)));
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private sealed record SimulateSettings(string Cluster, string? Layout, string? Planner, string? Export, string? Throughputs, string? Profiles, string Model, string Scheduler,
        string Feed, int Users, double RatePerSec, string? Trace, double WarmupS, double DurationS, int Seed, bool EnterMidSpan, bool LayerByLayer, string? Json, bool Quiet);

    private static Command Simulate(CliConsole console)
    {
        var cluster = new Argument<string>("cluster") { Description = "Helix cluster file (INI), e.g. data/helix/clusters/single24.ini" };
        var layout = new Argument<string?>("layout") { Description = "Helix placement file, e.g. data/helix/layouts/single24-llama2-70b/ilp_sol.ini (or plan one with --planner)", Arity = ArgumentArity.ZeroOrOne };
        var planner = new Option<string?>("--planner") { Description = "Plan the placement instead: swarm, separate-pipelines or flow-search (stamen catalog cluster-placements)", HelpName = "NAME" };
        var export = new Option<string?>("--export") { Description = "Write the placement simulated in Helix's solution format", HelpName = "PATH" };
        var throughputs = ThroughputsOption();
        var profiles = ProfilesOption();
        var model = new Option<string>("--model") { Description = "llama2_70b or llama1_30b", DefaultValueFactory = _ => "llama2_70b", HelpName = "NAME" };
        var scheduler = new Option<string>("--scheduler") { Description = "maxflow-iwrr, swarm or random (stamen catalog cluster-schedulers)", DefaultValueFactory = _ => "maxflow-iwrr", HelpName = "NAME" };
        var feed = new Option<string>("--feed") { Description = "watermark (Helix's offline feeder), closed (N users) or poisson (open loop)", DefaultValueFactory = _ => "watermark", HelpName = "MODE" };
        var users = new Option<int>("--users") { Description = "Users of the closed loop, or requests sent at the start by the watermark feeder", DefaultValueFactory = _ => 20, HelpName = "N" };
        var rate = new Option<double>("--rate") { Description = "Arrivals per second (poisson)", DefaultValueFactory = _ => 1, HelpName = "PER_S" };
        var trace = new Option<string?>("--trace") { Description = "Trace CSV whose (prompt, output) pairs are sampled (Helix: Azure conversations, prompt < 2048, output <= 1000; default: ../../traces/azure_conv_2023.csv beside the cluster file)", HelpName = "PATH" };
        var warmup = new Option<double>("--warmup-s") { Description = "Simulated seconds before measuring", DefaultValueFactory = _ => 60, HelpName = "S" };
        var duration = new Option<double>("--duration-s") { Description = "Measured simulated seconds", DefaultValueFactory = _ => 600, HelpName = "S" };
        var seed = new Option<int>("--seed") { Description = "Seed of lengths, arrivals and scheduler choices", DefaultValueFactory = _ => 1, HelpName = "S" };
        var midSpan = new Option<bool>("--enter-mid-span") { Description = "Let requests enter a server inside its span (overlapping spans, e.g. PETALS' placements): the max flow and the schedulers allow it" };
        var layerByLayer = new Option<bool>("--layer-by-layer") { Description = "Run batches one layer at a time, arrivals joining at layer boundaries, as Helix's simulator does (default: a batch runs the whole span)" };
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("simulate", "Simulate a placement on a Helix cluster with batching servers: decode and prompt throughput, latencies, per-server use")
        {
            cluster, layout, planner, export, throughputs, profiles, model, scheduler, feed, users, rate, trace, warmup, duration, seed, midSpan, layerByLayer, json, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => RunSimulate(console, new SimulateSettings(p.GetValue(cluster)!, p.GetValue(layout), p.GetValue(planner),
            p.GetValue(export), p.GetValue(throughputs),
            p.GetValue(profiles), p.GetValue(model)!, p.GetValue(scheduler)!, p.GetValue(feed)!, p.GetValue(users), p.GetValue(rate), p.GetValue(trace),
            p.GetValue(warmup), p.GetValue(duration), p.GetValue(seed), p.GetValue(midSpan), p.GetValue(layerByLayer), p.GetValue(json), p.GetValue(quiet)))));
        return command;
    }

    private static int RunSimulate(CliConsole console, SimulateSettings s)
    {
        var model = HelixModel.Find(s.Model, "--model", s.Model);
        var mode = ClusterWorkload.FeedNamed(s.Feed) ?? throw new StamenInputException("--feed", s.Feed, "unknown feed", "use watermark, closed or poisson");
        var schedulerEntry = ClusterSchedulerCatalog.Schedulers.Find(s.Scheduler, "--scheduler", s.Scheduler);
        ClusterWorkload.RequireUsers(s.Users, "(command line)", "--users");
        ClusterRunOptions.RequireWindow(s.WarmupS, s.DurationS, "(command line)", "--warmup-s/--duration-s");
        if (mode == FeedMode.Poisson) ClusterWorkload.RequireRate(s.RatePerSec, s.WarmupS + s.DurationS, "(command line)", "--rate");
        var helixCluster = HelixClusterFile.Load(s.Cluster);
        var dataDir = Path.GetDirectoryName(Path.GetFullPath(s.Cluster))!;
        var profiles = LoadProfiles(s.Cluster, s.Profiles, model);
        var spec = HelixClusterSetup.ToCluster(helixCluster, profiles, model, s.Cluster);
        if ((s.Layout is null) == (s.Planner is null))
            throw new StamenInputException("layout / --planner", s.Layout ?? "(none)", "give either a placement file or --planner NAME", "e.g. data/helix/layouts/single24-llama2-70b/ilp_sol.ini, or --planner flow-search");
        var plannerEntry = s.Planner is null ? null : ClusterPlacementCatalog.Planners.Find(s.Planner, "--planner", s.Planner);
        // Tables only where something reads them: a max-flow scheduler, a planner, or tables the user gave.
        var tables = schedulerEntry.Name == "maxflow-iwrr" || plannerEntry is not null || s.Throughputs is not null
            ? Tables(helixCluster, s.Cluster, model, profiles, s.Throughputs) : null;
        var spans = plannerEntry is null
            ? HelixLayoutFile.Load(s.Layout!, helixCluster.Nodes.Count, model.Layers)
            : ProgressView.Run(console.Out, $"Planning with {plannerEntry.Name}", s.Quiet, _ => plannerEntry.Create().Plan(new ClusterPlanningInput(helixCluster, spec, tables!)));
        var covered = HelixClusterSetup.CoveredFlow(spans, model.Layers, tables, s.EnterMidSpan);
        var flows = covered is null ? [] : HelixClusterSetup.Flows(covered);
        double? maxFlow = covered?.TokensPerSec;
        Export(console, s.Export, spans);
        var lengths = HelixClusterSetup.TraceLengths(s.Trace ?? Path.Combine(dataDir, "..", "..", "traces", "azure_conv_2023.csv"));
        var workload = new ClusterWorkload(mode, lengths) { Users = s.Users, RatePerSec = s.RatePerSec };
        var options = new ClusterRunOptions(s.WarmupS, s.DurationS, s.Seed) { LayerByLayer = s.LayerByLayer };
        var scheduler = ClusterSchedulerCatalog.Schedulers.Create(ClusterSchedulerCatalog.Choice(schedulerEntry.Name, s.EnterMidSpan))(spec, spans, flows);
        var result = ProgressView.Run(console.Out, "Simulating", s.Quiet, progress =>
        {
            progress?.Report(new ExperimentProgress(0, 1));
            var r = ClusterTwin.Run(spec, spans, scheduler, workload, options);
            progress?.Report(new ExperimentProgress(1, 1));
            return r;
        });
        var table = new Table().Border(TableBorder.Rounded).Title("servers by the layers they hold").AddColumns("server", "type", "layers", "busy", "peak KV", "mean batch tokens");
        for (var i = 0; i < result.Servers.Count; i++)
        {
            var f = result.Servers[i];
            if (f.Layers == 0) continue;
            table.AddRow(Markup.Escape(f.Name), Markup.Escape(f.Machine), $"[[{I(spans[i].Start)}, {I(spans[i].End)})", ConsoleOut.F(f.BusyFraction * 100, "0") + "%",
                ConsoleOut.F(f.PeakKvFraction * 100, "0") + "%", ConsoleOut.F(f.MeanBatchTokens, "0.0"));
        }
        console.Out.Write(table);
        console.Out.Heading(string.Create(CultureInfo.InvariantCulture,
            $"{helixCluster.Name}, {(s.Layout is null ? plannerEntry!.Name : Path.GetFileName(s.Layout))}, {schedulerEntry.Name}: decode {result.DecodeTokensPerSec:N1} tokens/s, prompt {result.PromptTokensPerSec:N1} tokens/s{(maxFlow is { } m ? $" (static max flow {m:N2})" : "")}"));
        console.Out.Note(string.Create(CultureInfo.InvariantCulture,
            $"{result.RequestsLaunched} requests sent, {result.RequestsFinished} finished, {result.Rejections} refused launches, {result.KvOverflows} KV overflows; prompt latency {result.MeanPromptLatencyMs / 1000:0.00} s, decode iteration {result.MeanDecodeLatencyMs:0} ms"));
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new HelixSimulationJson(helixCluster.Name, s.Layout, plannerEntry?.Name, model.ProfileName, schedulerEntry.Name, s.Feed,
                s.Users, s.RatePerSec, s.WarmupS, s.DurationS, s.Seed, s.LayerByLayer, maxFlow, result.DecodeTokensPerSec, result.PromptTokensPerSec,
                result.RequestsLaunched, result.RequestsFinished, result.Rejections, result.KvOverflows, result.MeanPromptLatencyMs, result.MeanDecodeLatencyMs,
                [.. result.Servers.Select((f, i) => new HelixServerJson(f.Name, f.Machine, spans[i].Start, f.Layers, f.BusyFraction, f.PeakKvFraction, f.MeanBatchTokens))]));
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private static Command Flow(CliConsole console)
    {
        var cluster = new Argument<string>("cluster") { Description = "Helix cluster file (INI), e.g. data/helix/clusters/single24.ini" };
        var layout = new Argument<string>("layout") { Description = "Helix placement file, e.g. data/helix/layouts/single24-llama2-70b/ilp_sol.ini" };
        var throughputs = ThroughputsOption();
        var model = new Option<string>("--model") { Description = "llama2_70b or llama1_30b: its layers, and its profiles when the tables are computed", DefaultValueFactory = _ => "llama2_70b", HelpName = "NAME" };
        var profiles = ProfilesOption();
        var midSpan = new Option<bool>("--enter-mid-span") { Description = "Let a request enter a node inside its span, not only where it starts (PETALS' routing)" };
        var improve = new Option<int>("--improve")
        {
            Description = "Then improve the placement by a max-flow-scored local search of this many moves (simulated annealing; ours), e.g. 20000",
            HelpName = "MOVES",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the local search", DefaultValueFactory = _ => 1, HelpName = "S" };
        var export = new Option<string?>("--export") { Description = "Write the (improved) placement in Helix's solution format", HelpName = "PATH" };
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("flow", "Static max flow of a placement: the tokens/s the cluster carries when each node serves at most T_i(k) and each link its capacity")
        {
            cluster, layout, throughputs, model, profiles, midSpan, improve, seed, export, json, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => RunFlow(console, new FlowSettings(p.GetValue(cluster)!, p.GetValue(layout)!, p.GetValue(throughputs),
            p.GetValue(model)!, p.GetValue(profiles), p.GetValue(midSpan), p.GetValue(json), p.GetValue(improve), p.GetValue(seed), p.GetValue(export), p.GetValue(quiet)))));
        return command;
    }

    private static int RunFlow(CliConsole console, FlowSettings s)
    {
        var model = HelixModel.Find(s.Model, "--model", s.Model);
        var layers = model.Layers;
        var cluster = HelixClusterFile.Load(s.Cluster);
        if (s.Improve is < 0 or > FlowLocalSearchOptions.MaxIterations)
            throw new StamenInputException("--improve", s.Improve.ToString(CultureInfo.InvariantCulture), $"must be in 0..{FlowLocalSearchOptions.MaxIterations}", "give e.g. 20000");
        var spans = HelixLayoutFile.Load(s.Layout, cluster.Nodes.Count, layers);
        var tables = Tables(cluster, s.Cluster, model, s.Throughputs is null ? LoadProfiles(s.Cluster, s.Profiles, model) : null, s.Throughputs);
        var given = PlacementMaxFlow.Compute(spans, layers, tables, s.EnterMidSpan).TokensPerSec;
        if (s.Improve > 0)
        {
            if (s.EnterMidSpan) throw new StamenInputException("--improve", "--enter-mid-span", "the local search scores placements with strict span boundaries", "leave out --enter-mid-span");
            var start = spans;
            spans = ProgressView.Run(console.Out, $"Improving the placement ({s.Improve} moves)", s.Quiet,
                progress => FlowLocalSearch.Improve(start, layers, tables, new FlowLocalSearchOptions(s.Improve, s.Seed), progress).Spans);
        }
        var flow = PlacementMaxFlow.Compute(spans, layers, tables, s.EnterMidSpan);

        console.Out.Write(SpansTable(cluster, spans, tables));
        console.Out.Heading(string.Create(CultureInfo.InvariantCulture,
            $"{cluster.Name}: max flow {flow.TokensPerSec:N2} tokens/s through {flow.LinkFlows.Count} links{(s.EnterMidSpan ? " (requests may enter a span mid-way)" : "")}"));
        if (s.Improve > 0)
            console.Out.Note(string.Create(CultureInfo.InvariantCulture, $"Local search ({s.Improve} moves, seed {s.Seed}) from the given placement's {given:N2} tokens/s."));
        Export(console, s.Export, spans);
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new HelixFlowJson(cluster.Name, layers, s.EnterMidSpan, flow.TokensPerSec, given, s.Improve, s.Seed, NodesJson(cluster, spans),
                [.. flow.LinkFlows.Select(l => new HelixLinkFlowJson(l.From, l.To, l.TokensPerSec))]));
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private static List<HelixNodeJson> NodesJson(HelixCluster cluster, IReadOnlyList<Stamen.Plans.BlockSpan> spans) =>
        [.. cluster.Nodes.Select(n => new HelixNodeJson(n.Index, n.Type, spans[n.Index].Start, spans[n.Index].Count))];

    private static Option<string?> ThroughputsOption() => new("--throughputs")
    {
        Description = "Folder of node_throughput.csv and edge_capacity.csv (T_i(k) and link capacities); default: computed from the profiles by Helix's own rule, equal to the tables its MILPs used",
        HelpName = "DIR",
    };

    private static Option<string?> ProfilesOption() => new("--profiles")
    {
        Description = "Folder of Helix's GPU profiles and machine_settings.json (default: ../profiles beside the cluster file); machine_profiles.ini (VRAM, NICs) is read beside the cluster file",
        HelpName = "DIR",
    };

    private static HelixProfiles LoadProfiles(string cluster, string? profiles, HelixModel model) => HelixClusterSetup.Profiles(cluster, profiles, model);

    private static HelixThroughputs Tables(HelixCluster cluster, string clusterPath, HelixModel model, HelixProfiles? profiles, string? throughputs) =>
        HelixClusterSetup.Tables(cluster, clusterPath, model, profiles, throughputs);

    private static Table SpansTable(HelixCluster cluster, IReadOnlyList<Stamen.Plans.BlockSpan> spans, HelixThroughputs tables)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("machines by the layers they hold").AddColumns("node", "type", "layers", "T_i(k) tokens/s");
        foreach (var node in cluster.Nodes.Where(n => !spans[n.Index].IsEmpty).OrderBy(n => spans[n.Index].Start).ThenBy(n => n.Index))
        {
            var span = spans[node.Index];
            table.AddRow(I(node.Index), Markup.Escape(node.Type), $"[[{I(span.Start)}, {I(span.End)})", ConsoleOut.F(tables.NodeTokensPerSec(node.Index, span.Count) ?? double.NaN, "N1"));
        }
        return table;
    }

    private static void Export(CliConsole console, string? path, IReadOnlyList<Stamen.Plans.BlockSpan> spans)
    {
        if (path is null) return;
        Stamen.IO.AtomicFile.WriteAllText(path, HelixLayoutFile.Write(spans));
        console.Out.Note($"Wrote {path}");
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The JSON shape of `stamen helix milp --json`.</summary>
internal sealed record HelixMilpJson(string Model, string Solver, double TimeLimitS, bool Started, Stamen.Optimization.Milp.MilpStatus Status, double Objective,
    double Bound, double Gap, IReadOnlyList<string> Notes, HelixMilpTimingsJson Timings);

internal sealed record HelixMilpTimingsJson(double SolveMs);

/// <summary>The JSON shape of `stamen helix plan --json`.</summary>
internal sealed record HelixPlanJson(string Cluster, string Model, string Planner, double? StaticMaxFlowTokensPerS, double ComputeBoundTokensPerS,
    double? StartTokensPerS, HelixPlanMilpJson? Milp, string? Note, IReadOnlyList<HelixNodeJson> Nodes, HelixPlanTimingsJson Timings);

internal sealed record HelixPlanMilpJson(string Status, double Objective, double Bound, IReadOnlyList<string> Notes);

internal sealed record HelixPlanTimingsJson(double PlanMs, double? SolveMs);

/// <summary>A cluster node and the layers it holds.</summary>
internal sealed record HelixNodeJson(int Node, string Type, int Start, int Count);

/// <summary>The JSON shape of `stamen helix simulate --json`.</summary>
internal sealed record HelixSimulationJson(string Cluster, string? Layout, string? Planner, string Model, string Scheduler, string Feed, int Users, double RatePerS,
    double WarmupS, double DurationS, int Seed, bool LayerByLayer, double? StaticMaxFlowTokensPerS, double DecodeTokensPerS, double PromptTokensPerS,
    long RequestsLaunched, long RequestsFinished, long Rejections, long KvOverflows, double MeanPromptLatencyMs, double MeanDecodeLatencyMs,
    IReadOnlyList<HelixServerJson> Servers);

internal sealed record HelixServerJson(string Server, string Type, int Start, int Layers, double Busy, double PeakKv, double MeanBatchTokens);

/// <summary>The JSON shape of `stamen helix flow --json`.</summary>
internal sealed record HelixFlowJson(string Cluster, int Layers, bool EnterMidSpan, double TokensPerS, double GivenTokensPerS, int ImproveMoves, int Seed,
    IReadOnlyList<HelixNodeJson> Nodes, IReadOnlyList<HelixLinkFlowJson> LinkFlows);

internal sealed record HelixLinkFlowJson(string From, string To, double TokensPerS);
