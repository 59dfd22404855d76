using System.Globalization;

namespace Stamen.Network;

/// <summary>
/// Reads a REPETITA <c>.graph</c> file (Gay et al. 2017): a <c>NODES n</c> section of
/// <c>label x y</c> lines (x = longitude, y = latitude) and an <c>EDGES m</c> section of directed
/// <c>label src dest weight bw delay</c> lines (src/dest are node indices, bw in kbit/s, delay in
/// microseconds). Each pair's RTT is the shortest path there plus back (2 x the shortest one-way
/// delay for these symmetric files); bandwidth is the bottleneck of the a -> b shortest path.
/// Node labels are kept as names.
/// </summary>
public sealed class RepetitaTopologyLoader : ITopologyLoader
{
    private const double KbitPerSecToBytesPerSec = 1000.0 / 8.0;

    /// <summary>Loads <paramref name="path"/>; errors name the file and line.</summary>
    public Topology Load(string path)
    {
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", $"REPETITA topology file not found (looked at {Path.GetFullPath(path)})", "check the path");
        return Parse(File.ReadAllLines(path), path, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Parses the lines of a .graph file; <paramref name="source"/> names it in errors.</summary>
    public static Topology Parse(IReadOnlyList<string> lines, string source, string name)
    {
        var reader = new LineReader(lines, source);
        var nodeCount = reader.SectionHeader("NODES");
        reader.SkipColumnHeader("label");
        var nodes = new List<NetworkNode>(nodeCount);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < nodeCount; i++)
        {
            var (fields, line) = reader.Next($"node {i} of {nodeCount}", 3);
            if (!seen.Add(fields[0]))
                throw new StamenInputException(source, Line(line), $"node label '{fields[0]}' appears twice", "make labels unique");
            nodes.Add(new NetworkNode(fields[0], reader.Number(fields[2], line, "y (latitude)"), reader.Number(fields[1], line, "x (longitude)")));
        }

        var edgeCount = reader.SectionHeader("EDGES");
        reader.SkipColumnHeader("label");
        var graph = new LinkGraph(nodeCount);
        for (var k = 0; k < edgeCount; k++)
        {
            var (fields, line) = reader.Next($"edge {k} of {edgeCount}", 6);
            var src = reader.NodeIndex(fields[1], nodeCount, line, "src");
            var dst = reader.NodeIndex(fields[2], nodeCount, line, "dest");
            var bwKbit = reader.Number(fields[4], line, "bw");
            var delayUs = reader.Number(fields[5], line, "delay");
            if (delayUs < 0 || bwKbit < 0)
                throw new StamenInputException(source, Line(line), "bw and delay must be non-negative", "fix the edge");
            graph.AddLink(src, dst, delayUs / 1000.0, bwKbit > 0 ? bwKbit * KbitPerSecToBytesPerSec : null);
        }
        reader.ExpectEnd();

        var names = nodes.Select(x => x.Name).ToList();
        var (rtt, bandwidth) = graph.AllPairs(names, source);
        return new Topology(name, nodes, rtt, bandwidth);
    }

    private static string Line(int line) => string.Create(CultureInfo.InvariantCulture, $"line {line}");

    /// <summary>Walks non-blank lines, keeping 1-based line numbers for messages.</summary>
    private sealed class LineReader(IReadOnlyList<string> lines, string source)
    {
        private int _next;

        public int SectionHeader(string keyword)
        {
            var (fields, line) = Next($"the {keyword} header", 2);
            if (!fields[0].Equals(keyword, StringComparison.OrdinalIgnoreCase)
                || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count < 0)
                throw new StamenInputException(source, Line(line), $"expected '{keyword} <count>', found '{string.Join(' ', fields)}'",
                    "follow the REPETITA format: NODES n, node lines, EDGES m, edge lines");
            return count;
        }

        /// <summary>Skips the optional column-name line (e.g. <c>label x y</c>).</summary>
        public void SkipColumnHeader(string firstColumn)
        {
            var at = SkipBlank();
            if (at < lines.Count && Split(lines[at]) is [var first, ..] && first.Equals(firstColumn, StringComparison.OrdinalIgnoreCase))
                _next = at + 1;
        }

        public (string[] Fields, int Line) Next(string what, int minFields)
        {
            var at = SkipBlank();
            if (at >= lines.Count)
                throw new StamenInputException(source, "end of file", $"file ends before {what}", "check the NODES and EDGES counts");
            _next = at + 1;
            var fields = Split(lines[at]);
            if (fields.Length < minFields)
                throw new StamenInputException(source, Line(at + 1),
                    string.Create(CultureInfo.InvariantCulture, $"expected {minFields} fields for {what}, found {fields.Length}: '{lines[at]}'"),
                    "check the line");
            return (fields, at + 1);
        }

        public void ExpectEnd()
        {
            var at = SkipBlank();
            if (at < lines.Count)
                throw new StamenInputException(source, Line(at + 1), $"unexpected line after the last edge: '{lines[at]}'",
                    "check the EDGES count");
        }

        public double Number(string text, int line, string field) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? v
                : throw new StamenInputException(source, $"{Line(line)}, {field}", $"'{text}' is not a number", "write a plain decimal number");

        public int NodeIndex(string text, int nodeCount, int line, string field) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 && v < nodeCount
                ? v
                : throw new StamenInputException(source, $"{Line(line)}, {field}",
                    string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a node index in 0..{nodeCount - 1}"), "use the node's position in the NODES list");

        private int SkipBlank()
        {
            var at = _next;
            while (at < lines.Count && string.IsNullOrWhiteSpace(lines[at])) at++;
            return at;
        }

        private static string[] Split(string line) =>
            line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
