using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stamen.Scenarios;

/// <summary>
/// Typed, path-aware reading of one YAML mapping: every error names the file, the dotted field path
/// and its line, and unknown keys are rejected so a typo never silently falls back to a default.
/// </summary>
internal sealed class YamlFields
{
    private readonly YamlMappingNode _node;

    public YamlFields(string file, string path, YamlMappingNode node)
    {
        File = file;
        Path = path;
        _node = node;
    }

    public string File { get; }
    public string Path { get; }

    /// <summary>
    /// Parses a scenario file's text to its top-level mapping; malformed YAML becomes one error
    /// naming the file and line. <paramref name="startFrom"/> is the fix offered for an empty file.
    /// </summary>
    public static YamlFields LoadRoot(string text, string file, string startFrom) => new(file, "", LoadDocument(text, file, startFrom));

    /// <summary>As <see cref="LoadRoot"/>, the top-level mapping itself (sweeps edit it before a parser reads it).</summary>
    public static YamlMappingNode LoadDocument(string text, string file, string startFrom)
    {
        Stamen.IO.YamlDepth.Check(text, file);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new StamenInputException(file, $"(line {e.Start.Line})", $"not valid YAML: {e.Message}", "fix the indentation or quoting at that line");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) on some unclosed flow collections, e.g. `count: [12`.
            var line = parser.Current?.Start.Line ?? 1;
            throw new StamenInputException(file, $"(line {line})", "not valid YAML near this line: the parser stopped inside an open [ ], { } or quote",
                "close every [ ], { } and quote that starts at or after that line");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new StamenInputException(file, "(top level)", "the scenario is empty or not a mapping", startFrom);
        return root;
    }

    public IEnumerable<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public string FieldPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public StamenInputException Error(string key, string problem, string fix)
    {
        var line = Find(key) is { } n ? $" (line {n.Start.Line})" : $" (line {_node.Start.Line})";
        return new StamenInputException(File, FieldPath(key) + line, problem, fix);
    }

    public StamenInputException Error(YamlNode node, string path, string problem, string fix) =>
        new(File, $"{path} (line {node.Start.Line})", problem, fix);

    public bool Has(string key) => Find(key) is not null;

    public void AllowOnly(params string[] keys)
    {
        foreach (var k in Keys)
            if (!keys.Contains(k, StringComparer.Ordinal))
                throw Error(k, $"unknown field '{k}'", $"use one of: {string.Join(", ", keys)}");
    }

    public YamlNode? Find(string key)
    {
        foreach (var (k, v) in _node.Children)
            if (k is YamlScalarNode s && string.Equals(s.Value, key, StringComparison.Ordinal))
                return v;
        return null;
    }

    public string? OptString(string key) => Find(key) switch
    {
        null => null,
        YamlScalarNode s => s.Value,
        _ => throw Error(key, "expected a single value", "write a plain value, not a list or mapping"),
    };

    public string RequireString(string key, string fix) =>
        OptString(key) is { Length: > 0 } s ? s : throw Error(key, "is missing", fix);

    /// <param name="max">Largest value allowed; by default the field's bound in <see cref="FieldBounds"/>.</param>
    public double? OptDouble(string key, double min = double.NegativeInfinity, bool exclusiveMin = false, double? max = null)
    {
        var s = OptString(key);
        if (s is null) return null;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw Error(key, $"'{s}' is not a number", "write a number such as 0.5");
        if (v < min || (exclusiveMin && v <= min))
            throw Error(key, $"{v.ToString(CultureInfo.InvariantCulture)} is out of range", $"use a value {(exclusiveMin ? "above" : "of at least")} {min.ToString(CultureInfo.InvariantCulture)}");
        var lower = FieldBounds.MinDouble(key);
        if (v < lower || (v != 0 && Math.Abs(v) < 1e-300))
            throw Error(key, $"{v.ToString(CultureInfo.InvariantCulture)} is too small", $"use a value of at least {Math.Max(lower, 1e-300).ToString(CultureInfo.InvariantCulture)}");
        var upper = max ?? FieldBounds.MaxDouble(key);
        if (v > upper)
            throw Error(key, $"{v.ToString(CultureInfo.InvariantCulture)} is too large", $"use a value of at most {upper.ToString(CultureInfo.InvariantCulture)}");
        return v;
    }

    /// <param name="max">Largest value allowed; by default the field's bound in <see cref="FieldBounds"/>.</param>
    public int? OptInt(string key, int min = int.MinValue, int? max = null)
    {
        var s = OptString(key);
        if (s is null) return null;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw Error(key, $"'{s}' is not a whole number", "write an integer such as 20");
        if (v < min)
            throw Error(key, $"{v} is out of range", $"use a value of at least {min}");
        var upper = max ?? FieldBounds.MaxInt(key);
        if (v > upper)
            throw Error(key, $"{v} is too large", $"use a value of at most {upper.ToString(CultureInfo.InvariantCulture)}");
        return v;
    }

    public bool? OptBool(string key)
    {
        var s = OptString(key);
        if (s is null) return null;
        return s.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(key, $"'{s}' is not true or false", "write true or false"),
        };
    }

    public YamlFields? OptMap(string key) => Find(key) switch
    {
        null => null,
        YamlMappingNode m => new YamlFields(File, FieldPath(key), m),
        _ => throw Error(key, "expected a mapping of fields", "indent the fields below it as key: value lines"),
    };

    public IReadOnlyList<YamlNode>? OptList(string key) => Find(key) switch
    {
        null => null,
        YamlSequenceNode s => s.Children.ToList(),
        _ => throw Error(key, "expected a list", "write it as a list: [a, b] or lines starting with '- '"),
    };

    /// <summary>
    /// A list of names, each one of <paramref name="allowed"/> (described as <paramref name="what"/> in the error), or null
    /// when the field is absent.
    /// </summary>
    public List<string>? OptChoices(string key, IReadOnlyList<string> allowed, string what) =>
        OptList(key)?.Select((n, i) => n is YamlScalarNode { Value: { Length: > 0 } v } && allowed.Contains(v) ? v
            : throw Error(n, FieldPath($"{key}[{i}]"), $"expected one of {what}", $"use {string.Join(", ", allowed)}")).ToList();

    /// <summary>
    /// Every field but <paramref name="reserved"/> as a catalog option as written (a plain value or a list of
    /// plain values), each with its path and line; the catalog validates them all at once later.
    /// </summary>
    public List<Stamen.Options.RawOption> RawOptions(params string[] reserved)
    {
        var options = new List<Stamen.Options.RawOption>();
        foreach (var (k, value) in _node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (reserved.Contains(name, StringComparer.Ordinal)) continue;
            var at = $"{FieldPath(name)} (line {value.Start.Line})";
            options.Add(value switch
            {
                YamlScalarNode s => new Stamen.Options.RawOption(name, s.Value, null, at),
                YamlSequenceNode seq => new Stamen.Options.RawOption(name, null,
                    [.. seq.Children.Select((c, i) => c is YamlScalarNode cs && cs.Value is { } v ? v
                        : throw Error(c, $"{FieldPath(name)}[{i}]", "expected a plain value", "write a list of names such as [s1, s2]"))], at),
                _ => throw Error(value, FieldPath(name), "expected a value or a list", "options take a value (rebalance: false) or a list of names"),
            });
        }
        return options;
    }

    /// <summary>Reads a mapping of name to number, e.g. <c>{client-a: 20, client-b: 35}</c>.</summary>
    public IReadOnlyDictionary<string, double>? OptNumberMap(string key, double min = 0)
    {
        var map = OptMap(key);
        if (map is null) return null;
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var k in map.Keys)
            result[k] = map.OptDouble(k, min)!.Value;
        return result;
    }
}
