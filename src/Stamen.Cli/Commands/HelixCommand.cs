using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Stamen.Cli.Rendering;
using Stamen.Helix;

namespace Stamen.Cli.Commands;

/// <summary>`stamen helix flow`: the static max flow (tokens/s) of a placement on a Helix cluster (issue 16).</summary>
internal static class HelixCommand
{
    private sealed record FlowSettings(string Cluster, string Layout, string Throughputs, int Layers, bool EnterMidSpan, string? Json,
        int Improve, int Seed, string? Export, bool Quiet);

    public static Command Create(CliConsole console) =>
        new("helix", "Heterogeneous clusters as Helix describes them: read its cluster, placement and throughput files")
        {
            Flow(console),
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
            JsonOutput.Write(s.Json, new
            {
                model = s.Model,
                solver = s.Solver,
                time_limit_s = s.TimeLimitSeconds,
                started = s.Start is not null,
                status = result.Status,
                objective = result.ObjectiveValue,
                bound = result.BestBound,
                gap = result.Gap,
                notes = result.Notes,
                timings = new { solve_ms = result.SolveTimeMs },
            });
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private static Command Flow(CliConsole console)
    {
        var cluster = new Argument<string>("cluster") { Description = "Helix cluster file (INI), e.g. data/helix/clusters/single24.ini" };
        var layout = new Argument<string>("layout") { Description = "Helix placement file, e.g. data/helix/layouts/single24-llama2-70b/ilp_sol.ini" };
        var throughputs = new Option<string>("--throughputs")
        {
            Description = "Folder with node_throughput.csv (node, layers, tokens_per_s) and edge_capacity.csv (from, to, tokens_per_s), e.g. data/helix/derived/single24-llama2-70b",
            Required = true,
            HelpName = "DIR",
        };
        var layers = new Option<int>("--layers") { Description = "Layers of the model (80 for LLaMA-2-70B, 60 for LLaMA-1-30B)", DefaultValueFactory = _ => 80, HelpName = "L" };
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
            cluster, layout, throughputs, layers, midSpan, improve, seed, export, json, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => RunFlow(console, new FlowSettings(p.GetValue(cluster)!, p.GetValue(layout)!, p.GetValue(throughputs)!,
            p.GetValue(layers), p.GetValue(midSpan), p.GetValue(json), p.GetValue(improve), p.GetValue(seed), p.GetValue(export), p.GetValue(quiet)))));
        return command;
    }

    private static int RunFlow(CliConsole console, FlowSettings s)
    {
        if (s.Layers is < 1 or > 10_000)
            throw new StamenInputException("--layers", s.Layers.ToString(CultureInfo.InvariantCulture), "must be in 1..10000", "give the model's layer count, e.g. 80");
        var cluster = HelixClusterFile.Load(s.Cluster);
        if (s.Improve is < 0 or > FlowLocalSearchOptions.MaxIterations)
            throw new StamenInputException("--improve", s.Improve.ToString(CultureInfo.InvariantCulture), $"must be in 0..{FlowLocalSearchOptions.MaxIterations}", "give e.g. 20000");
        var spans = HelixLayoutFile.Load(s.Layout, cluster.Nodes.Count, s.Layers);
        var tables = HelixThroughputs.Load(Path.Combine(s.Throughputs, "node_throughput.csv"), Path.Combine(s.Throughputs, "edge_capacity.csv"));
        var given = PlacementMaxFlow.Compute(spans, s.Layers, tables, s.EnterMidSpan).TokensPerSec;
        if (s.Improve > 0)
        {
            if (s.EnterMidSpan) throw new StamenInputException("--improve", "--enter-mid-span", "the local search scores placements with strict span boundaries", "leave out --enter-mid-span");
            var start = spans;
            spans = ProgressView.Run(console.Out, $"Improving the placement ({s.Improve} moves)", s.Quiet,
                progress => FlowLocalSearch.Improve(start, s.Layers, tables, new FlowLocalSearchOptions(s.Improve, s.Seed), progress).Spans);
        }
        var flow = PlacementMaxFlow.Compute(spans, s.Layers, tables, s.EnterMidSpan);

        var table = new Table().Border(TableBorder.Rounded).Title("nodes by the layers they hold").AddColumns("node", "type", "layers", "T_i(k) tokens/s");
        foreach (var node in cluster.Nodes.Where(n => !spans[n.Index].IsEmpty).OrderBy(n => spans[n.Index].Start))
        {
            var span = spans[node.Index];
            table.AddRow(I(node.Index), Markup.Escape(node.Type), $"[[{I(span.Start)}, {I(span.End)})",
                ConsoleOut.F(tables.NodeTokensPerSec(node.Index, span.Count) ?? double.NaN, "N1"));
        }
        console.Out.Write(table);
        console.Out.Heading(string.Create(CultureInfo.InvariantCulture,
            $"{cluster.Name}: max flow {flow.TokensPerSec:N2} tokens/s through {flow.LinkFlows.Count} links{(s.EnterMidSpan ? " (requests may enter a span mid-way)" : "")}"));
        if (s.Improve > 0)
            console.Out.Note(string.Create(CultureInfo.InvariantCulture, $"Local search ({s.Improve} moves, seed {s.Seed}) from the given placement's {given:N2} tokens/s."));
        if (s.Export is not null)
        {
            Stamen.IO.AtomicFile.WriteAllText(s.Export, HelixLayoutFile.Write(spans));
            console.Out.Note($"Wrote {s.Export}");
        }
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new
            {
                cluster = cluster.Name,
                layers = s.Layers,
                enter_mid_span = s.EnterMidSpan,
                tokens_per_s = flow.TokensPerSec,
                given_tokens_per_s = given,
                improve_moves = s.Improve,
                seed = s.Seed,
                nodes = cluster.Nodes.Select(n => new { node = n.Index, type = n.Type, start = spans[n.Index].Start, count = spans[n.Index].Count }).ToList(),
                link_flows = flow.LinkFlows.Select(l => new { from = l.From, to = l.To, tokens_per_s = l.TokensPerSec }).ToList(),
            });
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
