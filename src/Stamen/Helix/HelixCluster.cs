namespace Stamen.Helix;

/// <summary>One compute machine of a Helix cluster file.</summary>
/// <param name="Index">Its number in the file (<c>[ComputeNode-i]</c>).</param>
/// <param name="Type">Machine type as Helix names it (A100, L4, T4, V100, L4x2, T4x2, T4x4).</param>
public sealed record HelixNode(int Index, string Type);

/// <summary>A directed link; <see cref="From"/> and <see cref="To"/> are node numbers or <c>source</c>/<c>sink</c> (the coordinator).</summary>
/// <param name="BandwidthBytesPerSec">Helix's "X * mbps" read as X x 1e6 bytes per second (Helix defines mbps as 1e6 and a byte as 1).</param>
public sealed record HelixLink(string From, string To, double BandwidthBytesPerSec, double LatencyMs);

/// <summary>
/// A Helix cluster: compute machines, which of them the coordinator (source and sink) talks to, and
/// the directed links with bandwidth and latency (<c>clusters/*.ini</c> in Helix's repository).
/// </summary>
public sealed record HelixCluster(string Name, IReadOnlyList<HelixNode> Nodes, IReadOnlyList<HelixLink> Links)
{
    /// <summary>Node names as links use them: the node's number, <c>source</c> or <c>sink</c>.</summary>
    public const string Source = "source";

    public const string Sink = "sink";

    /// <summary>
    /// The links as Helix means them: the given links, then, for each link between two machines whose reverse the
    /// file does not give, that reverse with the same bandwidth and latency (Helix's files list each pair once, and
    /// its MILP's edge tables have both directions).
    /// </summary>
    public IReadOnlyList<HelixLink> DirectedLinks()
    {
        var given = Links.Select(l => (l.From, l.To)).ToHashSet();
        return [.. Links, .. Links.Where(l => IsOneWayBetweenMachines(l, given)).Select(l => l with { From = l.To, To = l.From })];
    }

    /// <summary>A link between two machines whose reverse is not among <paramref name="given"/> (so Helix means it both ways).</summary>
    public static bool IsOneWayBetweenMachines(HelixLink link, IReadOnlySet<(string From, string To)> given)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(given);
        return link.From != Source && link.To != Sink && !given.Contains((link.To, link.From));
    }
}
