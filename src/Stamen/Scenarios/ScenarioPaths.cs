using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Stamen.Scenarios;

/// <summary>Dotted field paths into a scenario's YAML tree (<c>workload.poisson.rate_per_s</c>, <c>clients.0.node</c>), and the canonical text cell ids hash.</summary>
public static class ScenarioPaths
{
    /// <summary>Whether <paramref name="path"/> is well formed: dot-separated keys of letters, digits, '_' and '-'.</summary>
    public static bool IsWellFormed(string path) =>
        path.Length is > 0 and <= 256 && path.Split('.').All(s => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));

    /// <summary>Whether the field at <paramref name="path"/> exists in <paramref name="root"/>.</summary>
    public static bool Exists(YamlMappingNode root, string path)
    {
        YamlNode node = root;
        foreach (var segment in path.Split('.'))
        {
            if (Child(node, segment) is not { } next) return false;
            node = next;
        }
        return true;
    }

    /// <summary>
    /// Sets the field at <paramref name="path"/> to <paramref name="value"/> (null removes it), creating missing mappings on
    /// the way. Returns a problem instead when the path runs through a plain value or past a list's end.
    /// </summary>
    public static string? Set(YamlMappingNode root, string path, YamlNode? value)
    {
        var segments = path.Split('.');
        YamlNode node = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var next = Child(node, segments[i]);
            if (next is null)
            {
                if (node is not YamlMappingNode map)
                    return $"'{string.Join('.', segments[..(i + 1)])}' is past the end of a list";
                if (value is null) return null; // removing a field under a missing one: nothing to remove
                next = new YamlMappingNode();
                map.Children[new YamlScalarNode(segments[i])] = next;
            }
            if (next is YamlScalarNode)
                return $"'{string.Join('.', segments[..(i + 1)])}' holds a plain value, not fields";
            node = next;
        }
        var last = segments[^1];
        switch (node)
        {
            case YamlMappingNode map:
                var key = map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == last) ?? new YamlScalarNode(last);
                if (value is null) map.Children.Remove(key);
                else map.Children[key] = value;
                return null;
            case YamlSequenceNode seq when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < seq.Children.Count:
                if (value is null) return $"'{path}' is a list item; a list item cannot be removed";
                seq.Children[index] = value;
                return null;
            default:
                return $"'{path}' is not a field: '{string.Join('.', segments[..^1])}' is a list, index it with a number below its length";
        }
    }

    /// <summary>The child of a mapping by key, or of a list by index; null when absent.</summary>
    public static YamlNode? Child(YamlNode node, string segment) => node switch
    {
        YamlMappingNode map => map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == segment).Value,
        YamlSequenceNode seq => int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < seq.Children.Count ? seq.Children[i] : null,
        _ => null,
    };

    /// <summary>
    /// Version-independent text of a YAML tree: mappings with their keys in ordinal order, lists in order, values quoted;
    /// comments and layout play no part. What cell and run ids hash.
    /// </summary>
    public static string Canonical(YamlNode node)
    {
        var text = new StringBuilder();
        Append(text, node);
        return text.ToString();
    }

    private static void Append(StringBuilder text, YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode s:
                Quote(text, s.Value ?? "");
                break;
            case YamlSequenceNode seq:
                text.Append('[');
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    Append(text, seq.Children[i]);
                }
                text.Append(']');
                break;
            case YamlMappingNode map:
                text.Append('{');
                var first = true;
                foreach (var (k, v) in map.Children.OrderBy(kv => (kv.Key as YamlScalarNode)?.Value ?? Canonical(kv.Key), StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    Append(text, k);
                    text.Append(':');
                    Append(text, v);
                }
                text.Append('}');
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static void Quote(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') text.Append('\\');
            text.Append(c);
        }
        text.Append('"');
    }

    /// <summary>A YAML document's text (what the family's parser reads).</summary>
    public static string Emit(YamlMappingNode root)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
