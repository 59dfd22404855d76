using System.Globalization;
using System.Text.RegularExpressions;
using Stamen.IO;

namespace Stamen.Helix;

/// <summary>
/// Reads Helix's cluster files (INI): <c>[NodeNames] total_compute_nodes</c>, <c>[ComputeNode-i] type</c>,
/// and <c>[Link-u-v] bandwidth=X * mbps|kbps|gbps</c>, <c>latency=Y * MilliSec|MicroSec|Sec</c>. Every mistake is
/// an input error naming the file, the section and key, and the fix; sizes are bounded before anything is built.
/// </summary>
public static partial class HelixClusterFile
{
    /// <summary>Largest cluster file read (the 42-node one is 40 KB).</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    /// <summary>Most compute machines in one cluster.</summary>
    public const int MaxNodes = 10_000;

    public static HelixCluster Load(string path)
    {
        var text = BoundedFile.ReadAllText(path, MaxFileBytes, "Helix cluster");
        return Parse(text, path);
    }

    public static HelixCluster Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = HelixFiles.Sections(text, file);
        var total = Whole(file, sections, "NodeNames", "total_compute_nodes", 1, MaxNodes);
        var nodes = new List<HelixNode>(total);
        for (var i = 0; i < total; i++)
        {
            var name = $"ComputeNode-{i}";
            if (!sections.TryGetValue(name, out var node))
                throw new StamenInputException(file, $"[{name}]", $"missing: total_compute_nodes is {total}", $"add [{name}] with type=..., or lower total_compute_nodes");
            var type = node.GetValueOrDefault("type")?.Trim();
            if (string.IsNullOrEmpty(type))
                throw new StamenInputException(file, $"[{name}] type", "missing", "give the machine type, e.g. type=A100");
            nodes.Add(new HelixNode(i, type));
        }
        var extra = sections.Keys.FirstOrDefault(k => k.StartsWith("ComputeNode-", StringComparison.Ordinal)
            && !(int.TryParse(k["ComputeNode-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < total));
        if (extra is not null)
            throw new StamenInputException(file, $"[{extra}]", $"beyond total_compute_nodes = {total}", "number compute nodes 0 .. total_compute_nodes - 1");

        var links = new List<HelixLink>();
        foreach (var (section, keys) in sections)
        {
            if (!section.StartsWith("Link-", StringComparison.Ordinal)) continue;
            var ends = LinkName().Match(section);
            if (!ends.Success)
                throw new StamenInputException(file, $"[{section}]", "not a link between two nodes", "name links [Link-FROM-TO] with node numbers, source or sink");
            var (from, to) = (ends.Groups[1].Value, ends.Groups[2].Value);
            foreach (var end in (string[])[from, to])
                if (end is not (HelixCluster.Source or HelixCluster.Sink) && !(int.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k < total))
                    throw new StamenInputException(file, $"[{section}]", $"'{end}' is not a compute node of this cluster", $"use 0 .. {total - 1}, source or sink");
            if (from == HelixCluster.Sink || to == HelixCluster.Source || from == to)
                throw new StamenInputException(file, $"[{section}]", "requests leave the source and reach the sink, and a link joins two different ends",
                    "write [Link-source-N], [Link-N-sink] or [Link-N-M] with N and M different");
            links.Add(new HelixLink(from, to, Bandwidth(file, section, keys), Latency(file, section, keys)));
        }
        if (links.Count == 0) throw new StamenInputException(file, "[Link-...]", "no links", "add [Link-FROM-TO] sections with bandwidth and latency");
        return new HelixCluster(Path.GetFileNameWithoutExtension(file), nodes, links);
    }

    /// <summary>Bandwidth in bytes per second. Helix's units: mbps = 1e6, kbps = 1e3, gbps = 1e9, and a byte is 1 (not 8 bits).</summary>
    private static double Bandwidth(string file, string section, IReadOnlyDictionary<string, string> keys)
    {
        var (value, unit) = Quantity(file, section, keys, "bandwidth", "1000 * mbps");
        var scale = unit switch
        {
            "kbps" => 1e3,
            "mbps" => 1e6,
            "gbps" => 1e9,
            _ => throw new StamenInputException(file, $"[{section}] bandwidth", $"unknown unit '{unit}'", "write X * kbps, X * mbps or X * gbps (Helix's units: mbps = 1e6 bytes/s)"),
        };
        return Positive(file, section, "bandwidth", value * scale);
    }

    private static double Latency(string file, string section, IReadOnlyDictionary<string, string> keys)
    {
        var (value, unit) = Quantity(file, section, keys, "latency", "1 * MilliSec");
        var ms = unit switch
        {
            "MicroSec" => value / 1000,
            "MilliSec" => value,
            "Sec" => value * 1000,
            _ => throw new StamenInputException(file, $"[{section}] latency", $"unknown unit '{unit}'", "write Y * MicroSec, Y * MilliSec or Y * Sec"),
        };
        if (!(ms >= 0) || ms > 3_600_000) throw new StamenInputException(file, $"[{section}] latency", "must be between 0 and an hour", "write e.g. latency=1 * MilliSec");
        return ms;
    }

    private static (double Value, string Unit) Quantity(string file, string section, IReadOnlyDictionary<string, string> keys, string key, string example)
    {
        var text = keys.GetValueOrDefault(key) ?? throw new StamenInputException(file, $"[{section}] {key}", "missing", $"write e.g. {key}={example}");
        var m = QuantityText().Match(text);
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new StamenInputException(file, $"[{section}] {key}", $"'{text.Trim()}' is not NUMBER * UNIT", $"write e.g. {key}={example}");
        return (value, m.Groups[2].Value);
    }

    private static double Positive(string file, string section, string key, double value) =>
        value > 0 && value < 1e15 ? value : throw new StamenInputException(file, $"[{section}] {key}", "must be positive and below 1e15 bytes/s", "write e.g. bandwidth=1000 * mbps");

    private static int Whole(string file, IReadOnlyDictionary<string, Dictionary<string, string>> sections, string section, string key, int min, int max)
    {
        var text = sections.GetValueOrDefault(section)?.GetValueOrDefault(key)
            ?? throw new StamenInputException(file, $"[{section}] {key}", "missing", $"add [{section}] with {key}=N");
        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v
            : throw new StamenInputException(file, $"[{section}] {key}", $"'{text.Trim()}' is not a whole number in {min}..{max}", $"write {key}=N");
    }

    [GeneratedRegex(@"^Link-(source|sink|\d+)-(source|sink|\d+)$")]
    private static partial Regex LinkName();

    [GeneratedRegex(@"^\s*([-+0-9.eE]+)\s*\*\s*([A-Za-z]+)\s*$")]
    private static partial Regex QuantityText();
}
