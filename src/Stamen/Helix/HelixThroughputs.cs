using System.Globalization;
using Stamen.IO;
using Stamen.Plans;

namespace Stamen.Helix;

/// <summary>
/// The tables Helix's max-flow MILP is built from (<c>derived/*/</c>): T_i(k), the tokens per second node i
/// serves when holding k layers, and each directed link's capacity in tokens per second (bandwidth over the
/// bytes one token's activations take).
/// </summary>
public sealed class HelixThroughputs
{
    private readonly Dictionary<(int Node, int Layers), double> _nodes;

    private HelixThroughputs(Dictionary<(int, int), double> nodes, IReadOnlyList<(string From, string To, double TokensPerSec)> edges)
    {
        _nodes = nodes;
        Edges = edges;
    }

    /// <summary>Directed links with their capacity (tokens/s); <c>source</c>/<c>sink</c> are the coordinator.</summary>
    public IReadOnlyList<(string From, string To, double TokensPerSec)> Edges { get; }

    /// <summary>T_i(k), or null when node i cannot hold k layers (the table stops at its most).</summary>
    public double? NodeTokensPerSec(int node, int layers) => _nodes.TryGetValue((node, layers), out var v) ? v : null;

    /// <summary>True when every span's layer count has a T_i(k) (a placement's max flow can be computed).</summary>
    public bool Covers(IReadOnlyList<BlockSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        for (var i = 0; i < spans.Count; i++)
            if (!spans[i].IsEmpty && NodeTokensPerSec(i, spans[i].Count) is null) return false;
        return true;
    }

    /// <summary>Tables built in code (<see cref="HelixTypicalThroughput"/>).</summary>
    internal static HelixThroughputs FromTables(Dictionary<(int, int), double> nodes, IReadOnlyList<(string From, string To, double TokensPerSec)> edges) => new(nodes, edges);

    /// <summary>Node rows as (node, layers, tokens/s), ordered.</summary>
    public IEnumerable<(int Node, int Layers, double TokensPerSec)> NodeRows() =>
        _nodes.OrderBy(p => p.Key.Node).ThenBy(p => p.Key.Layers).Select(p => (p.Key.Node, p.Key.Layers, p.Value));

    /// <summary>Largest table read.</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    public static HelixThroughputs Load(string nodeThroughputCsv, string edgeCapacityCsv) => Parse(
        BoundedFile.ReadAllText(nodeThroughputCsv, MaxFileBytes, "node throughput"), nodeThroughputCsv,
        BoundedFile.ReadAllText(edgeCapacityCsv, MaxFileBytes, "edge capacity"), edgeCapacityCsv);

    public static HelixThroughputs Parse(string nodeText, string nodeFile, string edgeText, string edgeFile)
    {
        var nodes = new Dictionary<(int, int), double>();
        foreach (var (line, f) in HelixFiles.Csv(nodeText, nodeFile, "node", "layers", "tokens_per_s"))
        {
            var node = Index(f[0], nodeFile, line, "node");
            var layers = Index(f[1], nodeFile, line, "layers");
            if (!nodes.TryAdd((node, layers), HelixFiles.Number(f[2], nodeFile, line, "tokens_per_s")))
                throw new StamenInputException(nodeFile, $"line {line}", $"node {node} with {layers} layers appears twice", "keep one row per node and layer count");
        }
        var edges = new List<(string, string, double)>();
        foreach (var (line, f) in HelixFiles.Csv(edgeText, edgeFile, "from", "to", "tokens_per_s"))
            edges.Add((End(f[0], edgeFile, line, "from"), End(f[1], edgeFile, line, "to"), HelixFiles.Number(f[2], edgeFile, line, "tokens_per_s")));
        return new HelixThroughputs(nodes, edges);
    }

    private static int Index(string text, string file, int line, string column) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v < 100_000 ? v
            : throw new StamenInputException(file, $"line {line}, {column}", $"'{text}' is not a whole number", "write a node number or a layer count");

    private static string End(string text, string file, int line, string column) =>
        text is HelixCluster.Source or HelixCluster.Sink ? text : Index(text, file, line, column).ToString(CultureInfo.InvariantCulture);
}
