using System.Text;
using System.Text.Json;
using Stamen.IO;

namespace Stamen.Learning;

/// <summary>
/// Saves and loads trees and forests as JSON, one format for both (a tree is a forest of one with
/// kind "tree"), so a model trained once can be shipped and reused without retraining.
/// </summary>
/// <remarks>
/// <para>Layout: <c>{"format": "stamen-tree-model", "version": 1, "kind": "tree"|"forest",
/// "task": "regression"|"classification", "features": [names], "trees": [{"feature": [...],
/// "threshold": [...], "left": [...], "right": [...], "value": [...]}]}</c>, arrays indexed by node as
/// in <see cref="DecisionTree"/> (children after their parent, side by side). Doubles are written in shortest round-trip form, so a loaded
/// model predicts bit for bit as the saved one.</para>
/// <para>Loading checks everything prediction relies on (children after their parent, feature
/// indices in range, finite numbers), so a corrupt or foreign file fails at load with a
/// <see cref="StamenInputException"/> naming the field, never later inside a prediction.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>Value of the "format" field, which tells this file from any other JSON.</summary>
    public const string Format = "stamen-tree-model";

    /// <summary>Layout version written, and the newest read.</summary>
    public const int Version = 1;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> through a temporary file, so a crash never leaves half a model.</summary>
    public static void Save(string path, TabularModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.WriteAllText(path, ToJson(model));
    }

    /// <summary>Reads a model written by <see cref="Save"/>: a <see cref="DecisionTree"/> or a <see cref="RandomForest"/>.</summary>
    /// <exception cref="StamenInputException">The file is missing, not JSON, not a Stamen model, of a newer version, or inconsistent.</exception>
    public static TabularModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = Stamen.IO.BoundedFile.ReadAllText(path, Stamen.IO.BoundedFile.MaxTextBytes, "model");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StamenInputException(path, "(file)", $"cannot be read ({e.Message})", "check the path of the model file");
        }
        return FromJson(json, path);
    }

    /// <summary>The JSON <see cref="Save"/> writes.</summary>
    public static string ToJson(TabularModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (kind, trees) = model switch
        {
            DecisionTree tree => ("tree", new[] { tree }),
            RandomForest forest => ("forest", forest.Trees.ToArray()),
            _ => throw new ArgumentException($"cannot save a {model.GetType().Name}", nameof(model)),
        };
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("version", Version);
            w.WriteString("kind", kind);
            w.WriteString("task", TaskName(model.Task));
            w.WriteStartArray("features");
            foreach (var name in model.FeatureNames) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteStartArray("trees");
            foreach (var tree in trees)
            {
                w.WriteStartObject();
                WriteArray(w, "feature", tree.FeatureArray);
                WriteArray(w, "threshold", tree.ThresholdArray);
                WriteArray(w, "left", tree.LeftArray);
                WriteArray(w, "right", tree.RightArray);
                WriteArray(w, "value", tree.ValueArray);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses a model from JSON text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="StamenInputException">As for <see cref="Load"/>.</exception>
    public static TabularModel FromJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new StamenInputException(source, "(json)", $"is not valid JSON ({e.Message})", "save the model again with ModelFile.Save");
        }
        using (document)
        {
            return new Reader(source).Read(document.RootElement);
        }
    }

    private static string TaskName(TreeTask task) => task == TreeTask.Regression ? "regression" : "classification";

    private static void WriteArray(Utf8JsonWriter w, string name, ReadOnlySpan<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, ReadOnlySpan<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    /// <summary>Walks the document, naming the JSON path of the first problem it meets.</summary>
    private sealed class Reader(string source)
    {
        private const string Fix = "save the model again with ModelFile.Save, or point at a Stamen model file";

        public TabularModel Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Bad("(root)", $"is a JSON {Kind(root)}, not an object");
            var format = Property(root, "format", "format");
            if (format.ValueKind != JsonValueKind.String || format.GetString() != Format)
                throw Bad("format", $"is {format.GetRawText()}, not \"{Format}\": this is not a Stamen tree model");
            var version = Property(root, "version", "version");
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v < 1)
                throw Bad("version", $"is {version.GetRawText()}, not a positive whole number");
            if (v > Version)
                throw new StamenInputException(source, "version", $"is {v}, newer than this Stamen reads ({Version})", "update Stamen or save the model with this version");

            var kind = String(root, "kind");
            if (kind is not ("tree" or "forest")) throw Bad("kind", $"is \"{kind}\", not \"tree\" or \"forest\"");
            var task = String(root, "task") switch
            {
                "regression" => TreeTask.Regression,
                "classification" => TreeTask.Classification,
                var other => throw Bad("task", $"is \"{other}\", not \"regression\" or \"classification\""),
            };
            var names = Features(root);

            var treesElement = Property(root, "trees", "trees");
            if (treesElement.ValueKind != JsonValueKind.Array || treesElement.GetArrayLength() == 0)
                throw Bad("trees", "must be a non-empty array");
            if (kind == "tree" && treesElement.GetArrayLength() != 1)
                throw Bad("trees", $"holds {treesElement.GetArrayLength()} trees but kind is \"tree\" (exactly one)");
            var trees = new DecisionTree[treesElement.GetArrayLength()];
            var t = 0;
            foreach (var element in treesElement.EnumerateArray())
            {
                trees[t] = Tree(element, $"trees[{t}]", task, names);
                t++;
            }
            return kind == "tree" ? trees[0] : new RandomForest(task, names, trees);
        }

        private string[] Features(JsonElement root)
        {
            var features = Property(root, "features", "features");
            if (features.ValueKind != JsonValueKind.Array) throw Bad("features", "must be an array of names");
            var names = new List<string>();
            foreach (var name in features.EnumerateArray())
            {
                if (name.ValueKind != JsonValueKind.String) throw Bad($"features[{names.Count}]", "must be a string");
                names.Add(name.GetString()!);
            }
            try
            {
                return TabularData.CheckNames(names);
            }
            catch (ArgumentException e)
            {
                throw Bad("features", e.Message);
            }
        }

        private DecisionTree Tree(JsonElement element, string at, TreeTask task, string[] names)
        {
            if (element.ValueKind != JsonValueKind.Object) throw Bad(at, "must be an object");
            var feature = Ints(element, at, "feature");
            var n = feature.Length;
            if (n == 0) throw Bad($"{at}.feature", "is empty; a tree has at least one node");
            var threshold = Doubles(element, at, "threshold", n);
            var left = Ints(element, at, "left", n);
            var right = Ints(element, at, "right", n);
            var value = Doubles(element, at, "value", n);
            for (var i = 0; i < n; i++)
            {
                if (!double.IsFinite(value[i])) throw Bad($"{at}.value[{i}]", "is not a finite number");
                if (task == TreeTask.Classification && value[i] is < 0 or > 1)
                    throw Bad($"{at}.value[{i}]", $"is {value[i]}, not a probability in [0, 1]");
                if (feature[i] == -1)
                {
                    if (left[i] != -1 || right[i] != -1) throw Bad($"{at}.left[{i}]", "a leaf (feature -1) must have children -1");
                    continue;
                }
                if (feature[i] < 0 || feature[i] >= names.Length)
                    throw Bad($"{at}.feature[{i}]", $"is {feature[i]}, not -1 (leaf) or a feature index in 0..{names.Length - 1}");
                if (!double.IsFinite(threshold[i])) throw Bad($"{at}.threshold[{i}]", "is not a finite number");
                // Children after their parent: following links always moves forward, so prediction ends.
                if (left[i] <= i || left[i] >= n - 1) throw Bad($"{at}.left[{i}]", $"is {left[i]}, not a node index in {i + 1}..{n - 2}");
                if (right[i] != left[i] + 1 || right[i] >= n)
                    throw Bad($"{at}.right[{i}]", $"is {right[i]}, not left + 1 = {left[i] + 1} (children are stored side by side) within 0..{n - 1}");
            }
            return new DecisionTree(task, names, feature, threshold, left, right, value);
        }

        private int[] Ints(JsonElement tree, string at, string name, int? length = null)
        {
            var array = NumberArray(tree, at, name, length);
            var values = new int[array.GetArrayLength()];
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (!item.TryGetInt32(out values[i])) throw Bad($"{at}.{name}[{i}]", $"is {item.GetRawText()}, not a whole number");
                i++;
            }
            return values;
        }

        private double[] Doubles(JsonElement tree, string at, string name, int length)
        {
            var array = NumberArray(tree, at, name, length);
            var values = new double[length];
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (!item.TryGetDouble(out values[i])) throw Bad($"{at}.{name}[{i}]", $"is {item.GetRawText()}, out of range");
                i++;
            }
            return values;
        }

        private JsonElement NumberArray(JsonElement tree, string at, string name, int? length)
        {
            var array = Property(tree, name, $"{at}.{name}");
            if (array.ValueKind != JsonValueKind.Array) throw Bad($"{at}.{name}", "must be an array of numbers");
            if (length is { } n && array.GetArrayLength() != n)
                throw Bad($"{at}.{name}", $"has {array.GetArrayLength()} entries but feature has {n}; every node array has one entry per node");
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number) throw Bad($"{at}.{name}[{i}]", $"is a JSON {Kind(item)}, not a number");
                i++;
            }
            return array;
        }

        private string String(JsonElement root, string name)
        {
            var element = Property(root, name, name);
            if (element.ValueKind != JsonValueKind.String) throw Bad(name, $"is a JSON {Kind(element)}, not a string");
            return element.GetString()!;
        }

        private JsonElement Property(JsonElement obj, string name, string field) =>
            obj.TryGetProperty(name, out var value) ? value : throw Bad(field, "is missing");

        private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();

        private StamenInputException Bad(string field, string problem) => new(source, field, problem, Fix);
    }
}
