using System.Globalization;
using CsvHelper;

namespace Stamen.Network;

/// <summary>
/// Reads a measured or hand-written RTT matrix: header <c>node,&lt;name1&gt;,&lt;name2&gt;,...</c> and one
/// row per node, <c>&lt;name&gt;,&lt;rtt ms&gt;,...</c>, in any row order. The matrix must be square with
/// the same names as the header, non-negative, with a zero diagonal. Measured RTTs are rarely exactly
/// symmetric, so an asymmetric pair is averaged (the mean of both directions) and noted in
/// <see cref="Topology.Notes"/>. Quoted names (with commas) are allowed (RFC 4180, via CsvHelper).
/// </summary>
public sealed class RttMatrixCsvLoader : ITopologyLoader
{
    public Topology Load(string path)
    {
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", $"RTT matrix file not found (looked at {Path.GetFullPath(path)})", "check the path");
        using var reader = new StreamReader(Stamen.IO.BoundedFile.OpenRead(path, Stamen.IO.BoundedFile.MaxDataBytes, "RTT matrix"));
        return Parse(reader, path, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Parses CSV text; <paramref name="source"/> names it in errors.</summary>
    public static Topology Parse(TextReader text, string source, string name)
    {
        using var csv = new CsvParser(text, CultureInfo.InvariantCulture);
        if (!csv.Read())
            throw new StamenInputException(source, "line 1", "empty file", "start with a header node,<name1>,<name2>,...");
        var header = csv.Record ?? [];
        if (header.Length < 2 || !header[0].Trim().Equals("node", StringComparison.OrdinalIgnoreCase))
            throw new StamenInputException(source, "line 1", "header must be node,<name1>,<name2>,...", "start with a header node,<name1>,...");
        var names = header.Skip(1).Select(h => h.Trim()).ToList();
        var column = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < names.Count; k++)
        {
            if (names[k].Length == 0)
                throw new StamenInputException(source, "line 1", $"column {k + 2} has an empty node name", "name every column");
            if (!column.TryAdd(names[k], k))
                throw new StamenInputException(source, "line 1", $"node '{names[k]}' appears twice in the header", "name each node once");
        }

        var n = names.Count;
        var rtt = new double[n, n];
        var filled = new bool[n];
        while (csv.Read())
        {
            var row = csv.Record ?? [];
            var line = string.Create(CultureInfo.InvariantCulture, $"line {csv.RawRow}");
            if (row.All(string.IsNullOrWhiteSpace)) continue;
            if (row.Length != n + 1)
                throw new StamenInputException(source, line,
                    string.Create(CultureInfo.InvariantCulture, $"expected {n + 1} fields, found {row.Length}"), "write one RTT per header column");
            var rowName = row[0].Trim();
            if (!column.TryGetValue(rowName, out var a))
                throw new StamenInputException(source, line, $"row node '{rowName}' is not in the header", "use the header's node names");
            if (filled[a])
                throw new StamenInputException(source, line, $"row node '{rowName}' appears twice", "give each node one row");
            filled[a] = true;
            for (var b = 0; b < n; b++)
            {
                var cell = row[b + 1].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0)
                    throw new StamenInputException(source, $"{line}, column {names[b]}", $"'{cell}' is not a non-negative RTT in ms", "write a number of ms, 0 or more");
                if (a == b && v != 0)
                    throw new StamenInputException(source, $"{line}, column {names[b]}", $"a node's RTT to itself must be 0, found {cell}", "write 0 on the diagonal");
                rtt[a, b] = v;
            }
        }
        var missing = Enumerable.Range(0, n).Where(i => !filled[i]).Select(i => names[i]).ToList();
        if (missing.Count > 0)
            throw new StamenInputException(source, "rows", $"no row for {string.Join(", ", missing)}", "give every header node a row");

        var notes = new List<string>();
        var asymmetric = 0;
        var worstMs = 0.0;
        for (var a = 0; a < n; a++)
            for (var b = a + 1; b < n; b++)
            {
                if (rtt[a, b] == rtt[b, a]) continue;
                asymmetric++;
                worstMs = Math.Max(worstMs, Math.Abs(rtt[a, b] - rtt[b, a]));
                rtt[a, b] = rtt[b, a] = (rtt[a, b] + rtt[b, a]) / 2;
            }
        if (asymmetric > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{asymmetric} asymmetric pairs averaged over both directions (largest difference {worstMs:0.###} ms)"));
        return new Topology(name, names.Select(x => new NetworkNode(x, null, null)).ToList(), rtt, null, notes);
    }
}

/// <summary>Writes a topology's RTT matrix in the format <see cref="RttMatrixCsvLoader"/> reads (round-trip exact: "R" formatting).</summary>
public static class RttMatrixCsvWriter
{
    public static void Write(Topology topology, TextWriter text)
    {
        ArgumentNullException.ThrowIfNull(topology);
        using var csv = new CsvWriter(text, CultureInfo.InvariantCulture, leaveOpen: true);
        csv.WriteField("node");
        foreach (var node in topology.Nodes) csv.WriteField(node.Name);
        csv.NextRecord();
        for (var a = 0; a < topology.Count; a++)
        {
            csv.WriteField(topology.Nodes[a].Name);
            for (var b = 0; b < topology.Count; b++)
                csv.WriteField(topology.RttMs(a, b).ToString("R", CultureInfo.InvariantCulture));
            csv.NextRecord();
        }
    }

    public static void Write(Topology topology, string path)
    {
        Stamen.IO.AtomicFile.Write(path, writer => Write(topology, writer));
    }
}
