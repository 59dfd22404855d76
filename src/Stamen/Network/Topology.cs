using System.Globalization;

namespace Stamen.Network;

/// <summary>A place in a network: a PoP, a cluster member or a synthetic host; coordinates when known.</summary>
public sealed record NetworkNode(string Name, double? LatitudeDeg, double? LongitudeDeg);

/// <summary>
/// A network as the swarm sees it: named nodes and the propagation round-trip time between every
/// pair (ms; symmetric, zero diagonal), optionally the bandwidth between them. Immutable: the
/// matrices are copied in. <see cref="Notes"/> records assumptions the loader made (nodes placed or
/// dropped, asymmetric RTTs averaged) so a report can show them.
/// </summary>
public sealed record Topology
{
    private readonly double[] _rttMs;
    private readonly double?[]? _bandwidthBytesPerSec;
    private readonly Dictionary<string, int> _index;

    /// <param name="name">Topology name, used in messages.</param>
    /// <param name="nodes">Nodes with unique names.</param>
    /// <param name="rttMs">n x n propagation RTT (ms): finite, non-negative, symmetric, zero diagonal.</param>
    /// <param name="bandwidthBytesPerSec">Optional n x n bandwidth from row node to column node; null entries are unknown.</param>
    /// <param name="notes">Assumptions made while building it.</param>
    public Topology(string name, IReadOnlyList<NetworkNode> nodes, double[,] rttMs,
        double?[,]? bandwidthBytesPerSec = null, IReadOnlyList<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(rttMs);
        var n = nodes.Count;
        if (rttMs.GetLength(0) != n || rttMs.GetLength(1) != n)
            throw new ArgumentException($"RTT matrix must be {n} x {n}", nameof(rttMs));
        if (bandwidthBytesPerSec is not null && (bandwidthBytesPerSec.GetLength(0) != n || bandwidthBytesPerSec.GetLength(1) != n))
            throw new ArgumentException($"bandwidth matrix must be {n} x {n}", nameof(bandwidthBytesPerSec));

        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
            if (!_index.TryAdd(nodes[i].Name, i))
                throw new ArgumentException($"node name '{nodes[i].Name}' appears twice", nameof(nodes));

        _rttMs = new double[n * n];
        for (var a = 0; a < n; a++)
            for (var b = 0; b < n; b++)
            {
                var v = rttMs[a, b];
                if (!(v >= 0) || double.IsInfinity(v))
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"RTT [{a},{b}] = {v} is not a finite non-negative number"), nameof(rttMs));
                if (a == b && v != 0)
                    throw new ArgumentException("RTT diagonal must be 0", nameof(rttMs));
                if (v != rttMs[b, a])
                    throw new ArgumentException("RTT matrix must be symmetric", nameof(rttMs));
                _rttMs[a * n + b] = v;
            }

        if (bandwidthBytesPerSec is not null)
        {
            _bandwidthBytesPerSec = new double?[n * n];
            for (var a = 0; a < n; a++)
                for (var b = 0; b < n; b++)
                    _bandwidthBytesPerSec[a * n + b] = bandwidthBytesPerSec[a, b];
        }

        Name = name;
        Nodes = [.. nodes];
        Notes = notes is null ? [] : [.. notes];
    }

    public string Name { get; }
    public IReadOnlyList<NetworkNode> Nodes { get; }
    public IReadOnlyList<string> Notes { get; }
    public int Count => Nodes.Count;

    /// <summary>Propagation round-trip time between nodes <paramref name="a"/> and <paramref name="b"/> (ms).</summary>
    public double RttMs(int a, int b) => _rttMs[Check(a) * Count + Check(b)];

    /// <summary>Propagation round-trip time between two named nodes (ms).</summary>
    public double RttMs(string a, string b) => RttMs(IndexOf(a), IndexOf(b));

    /// <summary>Bandwidth from <paramref name="a"/> to <paramref name="b"/> (bytes/s), or null where unknown.</summary>
    public double? BandwidthBytesPerSec(int a, int b) =>
        _bandwidthBytesPerSec?[Check(a) * Count + Check(b)];

    /// <summary>The index of the node called <paramref name="name"/>, or an input error listing some known names.</summary>
    public int IndexOf(string name)
    {
        if (_index.TryGetValue(name, out var i)) return i;
        var shown = string.Join(", ", Nodes.Take(12).Select(x => x.Name)) + (Count > 12 ? ", ..." : "");
        throw new StamenInputException($"(topology {Name})", "node", $"unknown node '{name}'", $"use one of {shown}");
    }

    /// <summary>A copy of the RTT matrix (ms).</summary>
    public double[,] RttMatrixMs()
    {
        var m = new double[Count, Count];
        for (var a = 0; a < Count; a++)
            for (var b = 0; b < Count; b++)
                m[a, b] = _rttMs[a * Count + b];
        return m;
    }

    private int Check(int i) =>
        (uint)i < (uint)Count ? i : throw new ArgumentOutOfRangeException(nameof(i), i, $"node index outside 0..{Count - 1}");
}
