using System.Globalization;
using System.Text.Json;
using Stamen.Experiments;
using Stamen.Optimization.Milp;
using Stamen.Optimization.SwarmMilp;
using Stamen.Plans;
using Stamen.Scenarios;
using YamlDotNet.RepresentationModel;

namespace Stamen.Sweeps.Families;

/// <summary>
/// The MILP-gap study (`stamen reproduce milp-gap`) as a file: a seed, a solver, a formulation and a time limit, and
/// optionally fixed instance sizes. Run r is instance r of the study: its seed is the r-th draw of one generator seeded
/// with the study's seed, so any instance is solved alone, on any shard, exactly as the whole study solves it. Every
/// heuristic is priced and the MILP solved on each instance; <c>algorithms:</c> chooses which rows are kept (the
/// heuristics and <c>milp</c>), while all heuristics still start the MILP's search.
/// </summary>
public sealed class MilpGapSweepFamily : ISweepFamily
{
    /// <summary>The exact solve's row.</summary>
    public const string Milp = "milp";

    private static readonly string[] Fields = ["name", "seed", "instances", "time_limit_s", "solver", "formulation", "sizes", "algorithms"];

    /// <summary>The rows an instance gives: every scaling heuristic the study prices, in catalog order, then the MILP.</summary>
    public static IReadOnlyList<string> Rows { get; } = [.. MilpGapStudy.Heuristics.Select(h => h.Name), Milp];

    public string Name => "milp-gap";
    public string AlgorithmsField => "algorithms";
    // Not `instances`: with sizes, run r's size depends on the instance count, so that count must be part of the cell's id.
    public string? RunsField => null;

    public IReadOnlyList<string> MetricNames { get; } =
    [
        "objective_ms", "gap_percent", "routes_fit_memory", "own_pool_holds", "can_carry_sessions", "planned",
        "bound_ms", "relative_gap", "optimal", "milp_variables", "milp_constraints",
        "servers", "clients", "blocks", "sessions", "rate_per_s",
    ];

    public IReadOnlyList<string> ReportMetrics { get; } = ["gap_percent", "routes_fit_memory", "objective_ms"];

    /// <summary><c>default</c>: the study's built-in cell (Sweeps/Builtin/milp-gap-cell.yaml).</summary>
    public string? BuiltinText(string name) => name == "default" ? BuiltinCells.Text("milp-gap-cell") : null;

    public ISweepScenario Load(string text, string file, string baseDirectory)
    {
        var y = YamlFields.LoadRoot(text, file, "start from the built-in cell: `stamen sweep show milp-gap`");
        y.AllowOnly(Fields);
        var seed = y.OptInt("seed") ?? 1;
        var instances = y.OptInt("instances", 1, MilpGapStudy.MaxInstances) ?? 30;
        var limit = y.OptDouble("time_limit_s", 0, exclusiveMin: true, max: 3600) ?? 20;
        var solverName = y.OptString("solver") ?? "cp-sat";
        if (!MilpSolverCatalog.Solvers.Names.Contains(solverName))
            throw y.Error("solver", $"unknown MILP solver '{solverName}'", $"use one of {string.Join(", ", MilpSolverCatalog.Names)}");
        var formulation = y.OptString("formulation") ?? "block";
        if (formulation is not ("block" or "link")) throw y.Error("formulation", $"unknown formulation '{formulation}'", "use block (tight) or link");
        MilpGapSizes? sizes = null;
        if (y.OptMap("sizes") is { } z)
        {
            z.AllowOnly("servers", "clients", "blocks");
            sizes = new MilpGapSizes(Ints(z, "servers", 1, 64) ?? throw z.Error("servers", "is missing", "list server counts, e.g. [8, 12, 16, 20]"),
                Ints(z, "clients", 1, 8) ?? [1, 2], z.OptInt("blocks", 1, 200) ?? 70);
        }
        var algorithms = y.OptChoices("algorithms", Rows, "the study's rows") ?? [.. Rows];
        if (algorithms.Count == 0) throw y.Error("algorithms", "is empty", $"keep one or more of {string.Join(", ", Rows)}");
        if (algorithms.Distinct(StringComparer.Ordinal).Count() != algorithms.Count) throw y.Error("algorithms", "lists a row twice", "list each row once");
        var draws = MilpGapStudy.Draws(instances, sizes);
        if (draws.Count > MilpGapStudy.MaxInstances)
            throw y.Error("instances", $"{instances} instances of {draws.Count / instances} sizes are {draws.Count:N0} solves", $"keep to {MilpGapStudy.MaxInstances:N0} in all");
        var name = y.OptString("name") ?? FormattableString.Invariant($"milp-gap seed {seed}");
        return new Scenario(name, file, algorithms, draws, MilpGapStudy.InstanceSeeds(seed, draws.Count),
            new Lazy<MilpGapSetup>(() => new MilpGapSetup(seed, limit, MilpSolverCatalog.Create(solverName), formulation)));
    }

    private static IReadOnlyList<int>? Ints(YamlFields y, string key, int min, int max)
    {
        var items = y.OptList(key);
        if (items is null) return null;
        if (items.Count == 0) throw y.Error(key, "is empty", "list one or more counts");
        return [.. items.Select((n, i) => n is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) && x >= min && x <= max ? x
            : throw y.Error(n, y.FieldPath($"{key}[{i}]"), $"expected a whole number in {min}..{max}", $"give e.g. {min}"))];
    }

    /// <summary>The rows of one instance: each kept heuristic priced against the MILP, and the MILP with its status, start, notes and spans as detail.</summary>
    public static IReadOnlyList<SweepRunMetrics> RunRows(MilpGapInstance instance, IReadOnlyList<string> algorithms, double solveMs)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(algorithms);
        KeyValuePair<string, double>[] Shared() =>
        [
            new("servers", instance.Servers), new("clients", instance.Clients), new("blocks", instance.Blocks), new("sessions", instance.Sessions),
            new("rate_per_s", instance.ArrivalRatePerSec),
        ];
        var m = instance.Milp;
        return [.. algorithms.Select(a =>
        {
            if (a == Milp)
                return new SweepRunMetrics(Milp,
                    [
                        new("objective_ms", m.ObjectiveMs), new("bound_ms", m.BestBoundMs), new("relative_gap", m.Gap), new("optimal", instance.MilpOptimal ? 1 : 0),
                        new("milp_variables", m.Variables), new("milp_constraints", m.Constraints), .. Shared(),
                    ], [new("solve_ms", solveMs)]) { Detail = MilpDetail(m) };
            var e = instance.Heuristics.First(h => h.Algorithm == a);
            return new SweepRunMetrics(a,
                [
                    new("objective_ms", e.ObjectiveMs), new("gap_percent", e.GapPercent(m.ObjectiveMs)), new("routes_fit_memory", e.RoutesFitMemory ? 1 : 0),
                    new("own_pool_holds", e.OwnPoolHolds ? 1 : 0), new("can_carry_sessions", e.CanCarrySessions ? 1 : 0), new("planned", e.Planned ? 1 : 0), .. Shared(),
                ], []);
        })];
    }

    /// <summary>The MILP's non-numeric answer as JSON: status, the MIP start, the solver's notes and the spans it chose.</summary>
    public static string MilpDetail(SwarmMilpSolution milp)
    {
        ArgumentNullException.ThrowIfNull(milp);
        return SweepRunMetrics.DetailJson(w =>
        {
            w.WriteString("status", milp.Status.ToString());
            if (milp.Start is { } start)
            {
                w.WriteStartObject("start");
                w.WriteString("from", start.Name);
                w.WriteNumber("objective_ms", start.ObjectiveMs);
                w.WriteEndObject();
            }
            else w.WriteNull("start");
            w.WriteStartArray("notes");
            foreach (var note in milp.Notes) w.WriteStringValue(note);
            w.WriteEndArray();
            w.WriteStartArray("spans");
            foreach (var span in milp.Spans)
            {
                w.WriteStartArray();
                w.WriteNumberValue(span.Start);
                w.WriteNumberValue(span.Count);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// The MILP's answer read back from a store: its figures from the row's metrics and its detail; routes are not kept
    /// (the study reports none), the solve time from the row's timing.
    /// </summary>
    public static SwarmMilpSolution ReadMilp(IReadOnlyList<KeyValuePair<string, double>> metrics, string? detail, double solveMs)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        double Of(string name) => SweepRunMetrics.Value(metrics, name);
        using var doc = JsonDocument.Parse(detail ?? throw new InvalidDataException("a milp row has no detail"));
        var root = doc.RootElement;
        var status = Enum.Parse<MilpStatus>(root.GetProperty("status").GetString()!);
        var spans = root.GetProperty("spans").EnumerateArray().Select(s => new BlockSpan(s[0].GetInt32(), s[1].GetInt32())).ToList();
        var start = root.GetProperty("start") is { ValueKind: JsonValueKind.Object } st
            ? (st.GetProperty("from").GetString()!, st.GetProperty("objective_ms").GetDouble()) : ((string, double)?)null;
        return new SwarmMilpSolution(status, spans, [], Of("objective_ms"), Of("bound_ms"), Of("relative_gap"), solveMs,
            (int)Of("milp_variables"), (int)Of("milp_constraints"))
        {
            Start = start,
            Notes = [.. root.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!)],
        };
    }

    private sealed class Scenario(string name, string file, IReadOnlyList<string> algorithms, IReadOnlyList<(int Servers, int Clients, int Blocks)?> draws, int[] seeds,
        Lazy<MilpGapSetup> setup) : ISweepScenario
    {
        public string Name => name;
        public int Runs => draws.Count;
        public IReadOnlyList<string> Algorithms => algorithms;

        public int RunSeed(int run) => seeds[Instance(run)];

        public IReadOnlyList<SweepRunMetrics> Run(int run, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            Instance(run);
            var instance = MilpGapStudy.RunInstance(run, seeds[run], setup.Value, draws[run]);
            return RunRows(instance, algorithms, instance.Milp.SolveTimeMs);
        }

        /// <summary>Run r is instance r; a sweep's runs: above the cell's instances names both fields.</summary>
        private int Instance(int run) => run < draws.Count ? run
            : throw new StamenInputException(file, "runs", FormattableString.Invariant($"run {run} asks for an instance this cell does not have: it has {draws.Count} (instances: per size)"),
                "raise instances: (with set: or an axis) or lower runs:");
    }
}
