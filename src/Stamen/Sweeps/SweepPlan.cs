using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Stamen.Scenarios;
using Stamen.Sweeps.Families;
using YamlDotNet.RepresentationModel;

namespace Stamen.Sweeps;

/// <summary>
/// One point of a sweep: its base and axis values, the scenario text they give, and a stable id: a hash of the base's
/// label, the family and the canonical scenario (algorithms and runs left out), so it never depends on the machine, the
/// folder or the shard that runs it.
/// </summary>
/// <param name="Labels">Each axis' value label, in axis order.</param>
/// <param name="AlgorithmKeys">What identifies each algorithm in run ids: its entry as written (options included).</param>
public sealed record SweepCell(int Index, string Id, SweepBase Base, IReadOnlyList<string> Labels, string ScenarioText, string File,
    string ScenarioName, IReadOnlyList<string> Algorithms, IReadOnlyList<string> AlgorithmKeys, int Runs)
{
    /// <summary>"rate=0.5, l_max=128" (with the base first where there are several).</summary>
    public string Describe(SweepDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var parts = definition.Axes.Select((a, i) => $"{a.Name}={Labels[i]}");
        return string.Join(", ", definition.Bases.Count > 1 ? parts.Prepend($"base={Base.Label}") : parts);
    }
}

/// <summary>Where a run id sits in its plan: cell, algorithm, run and place in plan order.</summary>
public readonly record struct SweepRunAt(int Cell, int Algorithm, int Run, long Order);

/// <summary>One unit of work: run <see cref="Run"/> of every algorithm of a cell.</summary>
public readonly record struct SweepItem(int Index, int Cell, int Run);

/// <summary>A shard of a plan: K of N (0-based), a contiguous block of items so a shard loads few cells.</summary>
public readonly record struct SweepShard(int Index, int Count)
{
    public static SweepShard All => new(0, 1);

    /// <summary>Parses "K/N"; a bad one names <paramref name="field"/>.</summary>
    public static SweepShard Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new StamenInputException(field, text, "not a shard", "write K/N with 0 <= K < N, e.g. 0/4 (Slurm: $SLURM_ARRAY_TASK_ID/N)");
        if (n is < 1 or > 100_000) throw new StamenInputException(field, text, "N must be in 1..100,000", "give the number of shards, e.g. 0/4");
        if (k >= n) throw new StamenInputException(field, text, $"shard {k} does not exist: shards are numbered 0 to {n - 1}", $"give K below N, e.g. {n - 1}/{n}");
        return new SweepShard(k, n);
    }

    /// <summary>This shard's items of <paramref name="total"/>: [K x total / N, (K + 1) x total / N).</summary>
    public (int Start, int End) Range(int total) => ((int)((long)Index * total / Count), (int)((long)(Index + 1) * total / Count));

    public string FileStem => FormattableString.Invariant($"part-{Index:D5}-of-{Count:D5}");

    public override string ToString() => FormattableString.Invariant($"{Index}/{Count}");
}

/// <summary>A sweep expanded: every cell read and checked, the items in order (cell-major, runs inside).</summary>
public sealed class SweepPlan
{
    /// <summary>Most runs (cells x runs x algorithms) one sweep may hold.</summary>
    public const long MaxRuns = 10_000_000;

    internal SweepPlan(SweepDefinition definition, ISweepFamily family, IReadOnlyList<SweepCell> cells)
    {
        Definition = definition;
        Family = family;
        Cells = cells;
        var items = new List<SweepItem>();
        foreach (var cell in cells)
            for (var r = 0; r < cell.Runs; r++)
                items.Add(new SweepItem(items.Count, cell.Index, r));
        Items = items;
        _runIndex = new Lazy<IReadOnlyDictionary<string, SweepRunAt>>(() =>
        {
            var index = new Dictionary<string, SweepRunAt>(StringComparer.Ordinal);
            long order = 0;
            foreach (var item in Items)
            {
                var cell = Cells[item.Cell];
                for (var a = 0; a < cell.Algorithms.Count; a++)
                    index[RunId(cell, a, item.Run)] = new SweepRunAt(item.Cell, a, item.Run, order++);
            }
            return index;
        });
    }

    private readonly Lazy<IReadOnlyDictionary<string, SweepRunAt>> _runIndex;

    /// <summary>Every run id of the plan with its cell, algorithm and place in plan order (hashed once, on first use).</summary>
    public IReadOnlyDictionary<string, SweepRunAt> RunIndex => _runIndex.Value;

    public SweepDefinition Definition { get; }
    public ISweepFamily Family { get; }
    public IReadOnlyList<SweepCell> Cells { get; }
    public IReadOnlyList<SweepItem> Items { get; }

    /// <summary>Records the plan produces: one per algorithm per item.</summary>
    public long RunCount => Items.Sum(i => (long)Cells[i.Cell].Algorithms.Count);

    public IReadOnlyList<SweepItem> ItemsOf(SweepShard shard)
    {
        var (start, end) = shard.Range(Items.Count);
        return [.. Items.Skip(start).Take(end - start)];
    }

    /// <summary>The id of run <paramref name="run"/> of algorithm <paramref name="algorithm"/> in <paramref name="cell"/>.</summary>
    public static string RunId(SweepCell cell, int algorithm, int run)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return SweepPlanner.Hash($"stamen-sweep-run/1\n{cell.Id}\n{cell.AlgorithmKeys[algorithm]}\n{run.ToString(CultureInfo.InvariantCulture)}");
    }
}

/// <summary>Expands a sweep file into its cells, reading each cell's scenario so a bad one is reported before anything runs.</summary>
public static class SweepPlanner
{
    public static SweepPlan Plan(SweepDefinition definition, IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var family = Families.SweepFamilyCatalog.Families.Find(definition.Family).Create();
        var total = definition.Axes.Aggregate(definition.Bases.Count, (n, a) => n * a.Values.Count);
        var cells = new List<SweepCell>(total);
        var choice = new int[definition.Axes.Count];
        long runs = 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        progress?.Report(new ExperimentProgress(0, total));
        foreach (var b in definition.Bases)
        {
            Array.Clear(choice);
            for (var n = 0; n < total / definition.Bases.Count; n++)
            {
                var cell = Cell(definition, family, b, choice, cells.Count);
                runs += (long)cell.Runs * cell.Algorithms.Count;
                if (runs > SweepPlan.MaxRuns)
                    throw new StamenInputException(definition.File, "axes", FormattableString.Invariant($"the sweep holds more than {SweepPlan.MaxRuns:N0} runs (cells x runs x algorithms)"),
                        "split it into several sweep files");
                if (!ids.Add(cell.Id))
                    throw new StamenInputException(definition.File, $"cell {cells.Count} ({cell.Describe(definition)})",
                        $"gives the same scenario as cell {cells.First(c => c.Id == cell.Id).Index}", "give every axis values that change the scenario");
                cells.Add(cell);
                progress?.Report(new ExperimentProgress(cells.Count, total));
                // Odometer: the last axis moves fastest.
                for (var a = choice.Length - 1; a >= 0; a--)
                {
                    if (++choice[a] < definition.Axes[a].Values.Count) break;
                    choice[a] = 0;
                }
            }
        }
        return new SweepPlan(definition, family, cells);
    }

    private static SweepCell Cell(SweepDefinition d, ISweepFamily family, SweepBase b, int[] choice, int index)
    {
        var root = YamlFields.LoadDocument(b.Text, b.File, "give a scenario file");
        var absent = new List<(SweepAxis Axis, string Path)>();
        foreach (var (path, value) in d.Set)
        {
            if (!ScenarioPaths.Exists(root, path)) absent.Add((new SweepAxis("set", [path], []), path));
            if (ScenarioPaths.Set(root, path, value) is { } problem)
                throw new StamenInputException(d.File, $"set.{path}", $"path {problem} in base {b.Label}", "give a path to a field of the scenario (docs/scenarios.md)");
        }
        for (var a = 0; a < d.Axes.Count; a++)
        {
            var axis = d.Axes[a];
            var value = axis.Values[choice[a]];
            for (var p = 0; p < axis.Paths.Count; p++)
            {
                if (!ScenarioPaths.Exists(root, axis.Paths[p])) absent.Add((axis, axis.Paths[p]));
                if (ScenarioPaths.Set(root, axis.Paths[p], value.Nodes[p]) is { } problem)
                    throw new StamenInputException(d.File, $"axes.{axis.Name}", $"path {problem} in base {b.Label}", "give a path to a field of the scenario (docs/scenarios.md)");
            }
        }
        if (d.Seed is { } seed) ScenarioPaths.Set(root, "seed", new YamlScalarNode(seed.ToString(CultureInfo.InvariantCulture)));
        if (d.Algorithms is { } algorithms) ScenarioPaths.Set(root, family.AlgorithmsField, new YamlSequenceNode(algorithms));
        var labels = d.Axes.Select((a, i) => a.Values[choice[i]].Label).ToList();
        var where = string.Join(", ", d.Axes.Select((a, i) => $"{a.Name}={labels[i]}").Prepend($"base {b.Label}"));
        var file = $"{b.File} [sweep cell {index}: {where}]";
        var text = ScenarioPaths.Emit(root);
        ISweepScenario scenario;
        try
        {
            scenario = family.Load(text, file, b.BaseDirectory);
        }
        catch (StamenInputException e)
        {
            // A typo in an axis path reads as an unknown field of the scenario: name the axis.
            foreach (var (axis, path) in absent)
                if (path.Split('.').Any(segment => e.Problem.Contains($"unknown field '{segment}'", StringComparison.Ordinal)))
                    throw new StamenInputException(d.File, axis.Name == "set" ? $"set.{path}" : $"axes.{axis.Name}.path", $"'{path}' is not a field of the {family.Name} scenario ({e.Field}: {e.Problem})", e.Fix);
            throw new StamenInputException(d.File, $"cell {index} ({where})", $"the scenario this cell gives is not valid: {e.Field}: {e.Problem}", e.Fix);
        }
        // The cell's tree without the algorithms and the runs (a view over the same nodes, not a second parse).
        var hashed = new YamlMappingNode(root.Children.Where(kv => (kv.Key as YamlScalarNode)?.Value is not { } key || (key != family.AlgorithmsField && key != family.RunsField)));
        var id = Hash($"stamen-sweep-cell/1\n{family.Name}\n{b.Label}\n{ScenarioPaths.Canonical(hashed)}");
        var entries = ScenarioPaths.Child(root, family.AlgorithmsField) as YamlSequenceNode;
        var keys = entries is not null && entries.Children.Count == scenario.Algorithms.Count
            ? entries.Children.Select(ScenarioPaths.Canonical).ToList()
            : [.. scenario.Algorithms];
        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
            throw new StamenInputException(d.File, "algorithms", "an algorithm is listed twice", "list each once");
        return new SweepCell(index, id, b, labels, text, file, scenario.Name, scenario.Algorithms, keys, d.Runs ?? scenario.Runs);
    }

    /// <summary>First 16 hex digits of the SHA-256 of <paramref name="text"/> (64 bits: no collision in any sweep that fits memory).</summary>
    public static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
