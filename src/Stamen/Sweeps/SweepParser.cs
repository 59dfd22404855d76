using System.Globalization;
using Stamen.IO;
using Stamen.Scenarios;
using Stamen.Sweeps.Families;
using YamlDotNet.RepresentationModel;

namespace Stamen.Sweeps;

/// <summary>
/// Reads a sweep file (docs/sweeps.md). Every mistake names the file and the field: an unknown key, an empty axis, a
/// malformed path, a range that never ends, a zipped axis whose lists differ in length.
/// </summary>
public static class SweepParser
{
    /// <summary>Most values one axis may take, and most cells a sweep may have.</summary>
    public const int MaxAxisValues = 100_000;
    public const int MaxCells = 1_000_000;

    /// <summary>Results columns every record has; axis names may not take them.</summary>
    public static readonly IReadOnlySet<string> ReservedColumns = new HashSet<string>(StringComparer.Ordinal)
    {
        "run_id", "cell_id", "cell", "family", "scenario", "base", "algorithm", "run", "seed", "stamen_version",
    };

    private const string StartFrom = "start from examples/sweeps/geo.yaml (docs/sweeps.md)";

    public static SweepDefinition ParseFile(string path)
    {
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", "sweep file not found", $"check the path (examples/sweeps/ holds examples), or name a built-in sweep: {string.Join(", ", BuiltinSweeps.Names)}");
        var full = Path.GetFullPath(path);
        return ParseText(BoundedFile.ReadAllText(full, BoundedFile.MaxTextBytes, "sweep file"), full, Path.GetDirectoryName(full)!);
    }

    /// <param name="directory">Folder that base paths are resolved against.</param>
    public static SweepDefinition ParseText(string text, string file, string directory)
    {
        var y = YamlFields.LoadRoot(text, file, StartFrom);
        y.AllowOnly("name", "family", "base", "set", "axes", "algorithms", "seed", "runs", "metrics");
        var familyName = y.RequireString("family", $"name the scenario family: {string.Join(", ", SweepFamilyCatalog.Families.Names)}");
        var entry = SweepFamilyCatalog.Families.TryFind(familyName)
            ?? throw y.Error("family", $"unknown family '{familyName}'", $"use one of: {string.Join(", ", SweepFamilyCatalog.Families.Names)} (`stamen catalog sweep-families`)");
        var family = entry.Create();
        var name = y.OptString("name") ?? Path.GetFileNameWithoutExtension(file);
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
            throw y.Error("name", "must be 1 to 100 printable characters", "give a short name such as geo");
        var bases = ParseBases(y, family, directory);
        var axes = ParseAxes(y, family);
        var algorithms = y.OptList("algorithms");
        if (algorithms is { Count: 0 }) throw y.Error("algorithms", "is empty", "list at least one algorithm, or leave the field out to keep the base's");
        if (algorithms is { Count: > 1000 }) throw y.Error("algorithms", "lists more than 1,000 entries", "split the sweep");
        var runs = y.OptInt("runs", 1, 10_000);
        var seed = y.OptInt("seed");
        var metrics = y.OptList("metrics")?.Select((n, i) => n is YamlScalarNode { Value: { Length: > 0 } v } ? v
            : throw y.Error(n, $"metrics[{i}]", "expected a metric name", "write names such as mean_time_per_token_s")).ToList();
        if (metrics is { Count: 0 }) throw y.Error("metrics", "is empty", "list the metrics to keep, or leave the field out to keep all");
        if (metrics is not null)
        {
            var known = family.MetricNames;
            foreach (var (m, i) in metrics.Select((m, i) => (m, i)))
                if (!family.IsMetric(m))
                    throw y.Error(y.OptList("metrics")![i], $"metrics[{i}]", $"unknown metric '{m}' for the {family.Name} family", $"use one of: {string.Join(", ", known)}");
        }
        foreach (var axis in axes)
            if (family.MetricNames.Contains(axis.Name))
                throw y.Error("axes", $"axis '{axis.Name}' has a metric's name", "rename the axis; results hold both as columns");
        var set = ParseSet(y, family);
        var paths = set.Select(kv => (Axis: "set", Path: kv.Key)).Concat(axes.SelectMany(a => a.Paths.Select(p => (Axis: a.Name, Path: p)))).ToList();
        foreach (var (x, i) in paths.Select((x, i) => (x, i)))
            foreach (var earlier in paths.Take(i))
                if (earlier.Axis != x.Axis && (earlier.Path == x.Path || x.Path.StartsWith(earlier.Path + ".", StringComparison.Ordinal) || earlier.Path.StartsWith(x.Path + ".", StringComparison.Ordinal)))
                    throw y.Error(earlier.Axis == "set" ? "set" : "axes", $"{(earlier.Axis == "set" ? "set: and axis" : "axes")} '{earlier.Axis}' and '{x.Axis}' both set '{(earlier.Path.Length <= x.Path.Length ? earlier.Path : x.Path)}'",
                        "let one axis set a field (zip: moves several fields together)");
        var cells = axes.Aggregate((long)bases.Count, (n, a) => n * a.Values.Count);
        if (cells > MaxCells)
            throw y.Error("axes", FormattableString.Invariant($"the axes give {cells:N0} cells"), FormattableString.Invariant($"keep to {MaxCells:N0}; split the sweep into several files"));
        return new SweepDefinition(name, file, family.Name, bases, axes, algorithms, seed, runs, metrics) { Set = set };
    }

    /// <summary><c>set:</c> field paths and the one value every cell gives them (null removes the field).</summary>
    private static List<KeyValuePair<string, YamlNode?>> ParseSet(YamlFields y, ISweepFamily family)
    {
        var map = y.OptMap("set");
        if (map is null) return [];
        var set = new List<KeyValuePair<string, YamlNode?>>();
        foreach (var path in map.Keys)
        {
            if (!ScenarioPaths.IsWellFormed(path))
                throw map.Error(path, $"'{path}' is not a field path", "write dot-separated field names such as workload.poisson.requests");
            var top = path.Split('.')[0];
            if (top == family.AlgorithmsField || top == family.RunsField)
                throw map.Error(path, $"'{path}' is the sweep's own", $"give {(top == family.RunsField ? "runs" : "algorithms")}: at the sweep's top level");
            if (set.Any(kv => kv.Key == path || kv.Key.StartsWith(path + ".", StringComparison.Ordinal) || path.StartsWith(kv.Key + ".", StringComparison.Ordinal)))
                throw map.Error(path, $"'{path}' overlaps another field of set:", "set each field once");
            var node = map.Find(path)!;
            set.Add(new(path, node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "null" or "~" } ? null : node));
        }
        return set;
    }

    private static List<SweepBase> ParseBases(YamlFields y, ISweepFamily family, string directory)
    {
        var node = y.Find("base") ?? throw y.Error("base", "is missing", "give the base scenario's path, relative to the sweep file, or a list of them");
        var items = node switch
        {
            YamlScalarNode s => [s],
            YamlSequenceNode seq => seq.Children.ToList(),
            _ => throw y.Error("base", "expected a path or a list of paths", "write base: scenario.yaml or base: [a.yaml, b.yaml]"),
        };
        if (items.Count == 0) throw y.Error("base", "is an empty list", "give at least one base scenario");
        if (items.Count > MaxAxisValues) throw y.Error("base", "lists too many scenarios", FormattableString.Invariant($"keep to {MaxAxisValues:N0}"));
        var bases = new List<SweepBase>();
        for (var i = 0; i < items.Count; i++)
        {
            var field = items.Count == 1 ? "base" : $"base[{i}]";
            if (items[i] is not YamlScalarNode { Value: { Length: > 0 } label })
                throw y.Error(items[i], field, "expected a path", "write the scenario's path relative to the sweep file");
            if (bases.Any(b => b.Label == label))
                throw y.Error(items[i], field, $"'{label}' is listed twice", "list each base once");
            var full = Path.GetFullPath(Path.Combine(directory, label));
            if (File.Exists(full))
                bases.Add(new SweepBase(label, BoundedFile.ReadAllText(full, BoundedFile.MaxTextBytes, "scenario"), full, Path.GetDirectoryName(full)!));
            else if (family.BuiltinText(label) is { } builtin)
                bases.Add(new SweepBase(label, builtin, $"(built-in {family.Name} scenario '{label}')", directory));
            else
                throw y.Error(items[i], field, $"file not found: {full}", "give the path relative to the sweep file's folder, or a built-in scenario's name (default)");
        }
        return bases;
    }

    private static List<SweepAxis> ParseAxes(YamlFields y, ISweepFamily family)
    {
        var map = y.OptMap("axes");
        if (map is null) return [];
        var axes = new List<SweepAxis>();
        foreach (var name in map.Keys)
        {
            if (name.Length is 0 or > 64 || !(char.IsAsciiLetterLower(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
                throw map.Error(name, $"axis name '{name}' is not a column name", "use lower-case letters, digits and '_', starting with a letter or '_' (at most 64)");
            if (ReservedColumns.Contains(name) || name.StartsWith("timing_", StringComparison.Ordinal))
                throw map.Error(name, $"axis name '{name}' is a results column of its own", $"choose another name (taken: {string.Join(", ", ReservedColumns)}, timing_*)");
            var a = map.OptMap(name) ?? throw map.Error(name, "expected {path, values}, {path, range} or {zip}", "write e.g. rate: {path: workload.poisson.rate_per_s, values: [0.1, 0.5]}");
            a.AllowOnly("path", "values", "range", "zip", "labels");
            List<string> paths;
            List<List<(YamlNode? Node, double? Number, string Label)>> columns;
            if (a.Has("zip"))
            {
                foreach (var k in new[] { "path", "values", "range" })
                    if (a.Has(k)) throw a.Error(k, "a zipped axis takes its paths and values from zip:", $"remove {k}:");
                var zip = a.OptMap("zip")!;
                paths = [.. zip.Keys];
                if (paths.Count == 0) throw a.Error("zip", "is empty", "give field paths with a list of values each, all lists of one length");
                columns = [.. paths.Select(p => Values(zip, p))];
                var lengths = columns.Select(c => c.Count).Distinct().ToList();
                if (lengths.Count > 1)
                    throw a.Error("zip", $"its lists have different lengths ({string.Join(", ", columns.Select((c, i) => $"{paths[i]}: {c.Count}"))})", "give every zipped path the same number of values");
            }
            else
            {
                var path = a.RequireString("path", "give the field path, e.g. workload.poisson.rate_per_s");
                paths = [path];
                if (a.Has("values") == a.Has("range"))
                    throw a.Error(a.Has("values") ? "range" : "path", "give values: or range:, one of them", "write values: [0.1, 0.5] or range: {from: 4, to: 16, step: 4}");
                columns = [a.Has("values") ? Values(a, "values") : Range(a.OptMap("range")!)];
            }
            foreach (var (path, i) in paths.Select((p, i) => (p, i)))
            {
                var at = paths.Count == 1 ? "path" : "zip";
                if (!ScenarioPaths.IsWellFormed(path))
                    throw a.Error(at, $"'{path}' is not a field path", "write dot-separated field names such as workload.poisson.rate_per_s (list items by number: clients.0.node)");
                var top = path.Split('.')[0];
                if (top == family.AlgorithmsField) throw a.Error(at, $"'{path}' sets the algorithms", "list them in the sweep's algorithms: (every cell runs each)");
                if (top == family.RunsField) throw a.Error(at, $"'{path}' sets the runs", "give runs: at the sweep's top level");
                if (paths.Take(i).Any(p => p == path || p.StartsWith(path + ".", StringComparison.Ordinal) || path.StartsWith(p + ".", StringComparison.Ordinal)))
                    throw a.Error(at, $"'{path}' overlaps another path of this axis", "zip distinct fields");
            }
            var count = columns[0].Count;
            if (count == 0) throw a.Error(paths.Count == 1 ? (a.Has("values") ? "values" : "range") : "zip", "is empty: an axis needs at least one value", "give one or more values");
            var labels = a.OptList("labels");
            if (labels is not null && labels.Count != count)
                throw a.Error("labels", $"has {labels.Count} labels for {count} values", "give one label per value");
            var values = new List<SweepAxisValue>(count);
            for (var v = 0; v < count; v++)
            {
                var label = labels is not null
                    ? (labels[v] as YamlScalarNode)?.Value ?? throw a.Error("labels", "expected plain labels", "write labels: [low, high]")
                    : string.Join(" / ", columns.Select(c => c[v].Label));
                // A zipped or labelled axis is a text column (its label); a plain one of numbers a numeric column.
                var number = labels is null && columns.Count == 1 ? columns[0][v].Number : null;
                values.Add(new SweepAxisValue(label, [.. columns.Select(c => c[v].Node)], number));
            }
            if (values.Select(v => v.Label).Distinct(StringComparer.Ordinal).Count() != count)
                throw a.Error(labels is null ? "path" : "labels", "two values have the same label", "give distinct values, or labels: that tell them apart");
            axes.Add(new SweepAxis(name, paths, values));
        }
        return axes;
    }

    private static List<(YamlNode? Node, double? Number, string Label)> Values(YamlFields y, string key)
    {
        var list = y.OptList(key) ?? throw y.Error(key, "expected a list of values", "write [a, b, c]");
        if (list.Count > MaxAxisValues) throw y.Error(key, FormattableString.Invariant($"has {list.Count:N0} values"), FormattableString.Invariant($"keep to {MaxAxisValues:N0}"));
        return [.. list.Select(node =>
        {
            if (node is YamlScalarNode s)
            {
                // A plain null removes the field from that cell.
                if (s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is null or "" or "null" or "~") return ((YamlNode?)null, (double?)null, "(none)");
                var text = s.Value ?? "";
                double? number = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
                return (node, number, text);
            }
            return (node, null, ScenarioPaths.Canonical(node));
        })];
    }

    private static List<(YamlNode? Node, double? Number, string Label)> Range(YamlFields r)
    {
        r.AllowOnly("from", "to", "step");
        var from = r.OptDouble("from") ?? throw r.Error("from", "is missing", "give the first value");
        var to = r.OptDouble("to") ?? throw r.Error("to", "is missing", "give the last value (included when the steps reach it)");
        var step = r.OptDouble("step", 0, exclusiveMin: true) ?? throw r.Error("step", "is missing", "give a positive step");
        if (to < from) throw r.Error("to", "is below from", "give to >= from");
        var count = Math.Floor((to - from) / step * (1 + 1e-12)) + 1;
        if (count > MaxAxisValues) throw r.Error("step", FormattableString.Invariant($"gives {count:N0} values"), FormattableString.Invariant($"keep to {MaxAxisValues:N0}: a larger step"));
        var integral = from == Math.Floor(from) && step == Math.Floor(step);
        return [.. Enumerable.Range(0, (int)count).Select(i =>
        {
            // Rounded so 0.1 + 2 x 0.1 is written 0.3, as a user would.
            var v = integral ? from + i * step : Math.Round(from + i * step, 12);
            var text = v.ToString("R", CultureInfo.InvariantCulture);
            return ((YamlNode?)new YamlScalarNode(text), (double?)v, text);
        })];
    }
}
