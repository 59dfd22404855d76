using System.Globalization;
using Stamen.IO;
using Stamen.Plans;

namespace Stamen.Helix;

/// <summary>
/// Reads Helix's placement ("solution") files: <c>[Settings] offset=K</c> and <c>[Solution]
/// compute_node_(i + K)=[layers...]</c>, each node's layers 0-based and contiguous. Nodes not listed hold nothing.
/// </summary>
public static class HelixLayoutFile
{
    public const long MaxFileBytes = 4L * 1024 * 1024;

    public static IReadOnlyList<BlockSpan> Load(string path, int nodeCount, int layers) =>
        Parse(BoundedFile.ReadAllText(path, MaxFileBytes, "Helix layout"), path, nodeCount, layers);

    /// <summary>One span per compute node of a cluster of <paramref name="nodeCount"/> nodes, for a model of <paramref name="layers"/> layers.</summary>
    public static IReadOnlyList<BlockSpan> Parse(string text, string file, int nodeCount, int layers)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = HelixFiles.Sections(text, file);
        var offsetText = sections.GetValueOrDefault("Settings")?.GetValueOrDefault("offset") ?? "0";
        if (!int.TryParse(offsetText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset) || offset is < 0 or > 1000)
            throw new StamenInputException(file, "[Settings] offset", $"'{offsetText}' is not a whole number in 0..1000", "write offset=2 as Helix does");
        var solution = sections.GetValueOrDefault("Solution") ?? throw new StamenInputException(file, "[Solution]", "missing", "add [Solution] with compute_node_N=[layers] lines");
        var spans = Enumerable.Repeat(BlockSpan.None, nodeCount).ToArray();
        foreach (var (key, value) in solution)
        {
            var field = $"[Solution] {key}";
            if (!key.StartsWith("compute_node_", StringComparison.Ordinal)
                || !int.TryParse(key["compute_node_".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var numbered))
                throw new StamenInputException(file, field, "not compute_node_N", "name each line compute_node_N");
            var node = numbered - offset;
            if (node < 0 || node >= nodeCount)
                throw new StamenInputException(file, field, $"node {node} (after offset {offset}) is not one of the cluster's {nodeCount}", "check the offset and the cluster file");
            var list = value.Trim();
            if (list.Length < 2 || list[0] != '[' || list[^1] != ']')
                throw new StamenInputException(file, field, $"'{list}' is not a list of layers", "write [0, 1, 2]");
            var layerList = list[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l < layers ? l
                    : throw new StamenInputException(file, field, $"'{t}' is not a layer in 0..{layers - 1}", "list the layers the node holds"))
                .ToList();
            if (layerList.Count == 0) continue;
            for (var k = 1; k < layerList.Count; k++)
                if (layerList[k] != layerList[k - 1] + 1)
                    throw new StamenInputException(file, field, "the layers are not contiguous and increasing", "a node holds one run of consecutive layers");
            spans[node] = new BlockSpan(layerList[0], layerList.Count);
        }
        return spans;
    }

    /// <summary>
    /// A placement in Helix's solution format (<c>[Settings] offset</c>, <c>[Solution] compute_node_(i + offset)=[layers]</c>),
    /// so Helix's own tools can read a Stamen plan; nodes holding nothing are left out, as Helix does.
    /// </summary>
    public static string Write(IReadOnlyList<BlockSpan> spans, int offset = 2)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var text = new System.Text.StringBuilder();
        text.Append("[Settings]\n").Append(CultureInfo.InvariantCulture, $"offset={offset}\n\n[Solution]\n");
        for (var i = 0; i < spans.Count; i++)
            if (!spans[i].IsEmpty)
                text.Append(CultureInfo.InvariantCulture, $"compute_node_{i + offset}=[{string.Join(", ", Enumerable.Range(spans[i].Start, spans[i].Count))}]\n");
        return text.ToString();
    }
}
