using Stamen.Performance;
using Stamen.Plans;

namespace Stamen.Simulation.Cluster;

/// <summary>One batching server of a cluster.</summary>
public sealed record ClusterServer(string Name, ServerBatchProfile Profile);

/// <summary>
/// A directed link; <see cref="From"/> and <see cref="To"/> are server indices, or
/// <see cref="ClusterSpec.Coordinator"/> (-1) for the coordinator (the source as <c>From</c>, the sink as <c>To</c>).
/// </summary>
public sealed record ClusterLink(int From, int To, double BandwidthBytesPerSec, double LatencyMs);

/// <summary>
/// A cluster of batching servers joined by links with bandwidth and latency, serving a model of
/// <see cref="Layers"/> layers; requests enter and leave at a coordinator.
/// </summary>
public sealed class ClusterSpec
{
    /// <summary>Endpoint number of the coordinator in links.</summary>
    public const int Coordinator = -1;

    private readonly Dictionary<(int, int), int> _linkIndex = [];
    private readonly List<int>[] _outLinks;

    /// <param name="activationBytesPerToken">Bytes of one token's hidden state between servers (hidden size x 2 in fp16).</param>
    /// <param name="tokenIdBytes">Bytes of one token id (what the coordinator sends and receives).</param>
    public ClusterSpec(string name, IReadOnlyList<ClusterServer> servers, IReadOnlyList<ClusterLink> links, int layers,
        double activationBytesPerToken, double tokenIdBytes = 2)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        if (!(activationBytesPerToken > 0) || !(tokenIdBytes >= 0)) throw new ArgumentOutOfRangeException(nameof(activationBytesPerToken), "Bytes per token must be positive.");
        Name = name;
        Servers = servers;
        Links = links;
        Layers = layers;
        ActivationBytesPerToken = activationBytesPerToken;
        TokenIdBytes = tokenIdBytes;
        _outLinks = new List<int>[servers.Count + 1];
        for (var i = 0; i < _outLinks.Length; i++) _outLinks[i] = [];
        for (var l = 0; l < links.Count; l++)
        {
            var link = links[l];
            if (link.From < Coordinator || link.From >= servers.Count || link.To < Coordinator || link.To >= servers.Count || link.From == link.To)
                throw new ArgumentException($"Link {l} ({link.From} -> {link.To}) does not join two endpoints of this cluster.", nameof(links));
            if (!(link.BandwidthBytesPerSec > 0) || !(link.LatencyMs >= 0))
                throw new ArgumentException($"Link {l} needs a positive bandwidth and a latency of 0 or more.", nameof(links));
            if (!_linkIndex.TryAdd((link.From, link.To), l)) throw new ArgumentException($"Link {link.From} -> {link.To} is given twice.", nameof(links));
            _outLinks[link.From + 1].Add(l);
        }
    }

    public string Name { get; }
    public IReadOnlyList<ClusterServer> Servers { get; }
    public IReadOnlyList<ClusterLink> Links { get; }
    public int Layers { get; }
    public double ActivationBytesPerToken { get; }
    public double TokenIdBytes { get; }

    /// <summary>The link from -> to, or -1 when there is none.</summary>
    public int LinkIndex(int from, int to) => _linkIndex.TryGetValue((from, to), out var l) ? l : -1;

    /// <summary>Indices of the links leaving <paramref name="from"/> (a server, or the coordinator).</summary>
    public IReadOnlyList<int> OutLinks(int from) => _outLinks[from + 1];

    /// <summary>Bytes a transfer of <paramref name="tokens"/> tokens puts on a link: token ids to and from the coordinator, hidden states between servers.</summary>
    public double TransferBytes(ClusterLink link, int tokens) =>
        tokens * (link.From == Coordinator || link.To == Coordinator ? TokenIdBytes : TokenIdBytes + ActivationBytesPerToken);

    /// <summary>Checks that a placement fits: one span per server, inside the model, no more layers than the server's profile covers.</summary>
    public void RequireFits(IReadOnlyList<BlockSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count != Servers.Count) throw new ArgumentException($"The placement has {spans.Count} spans for {Servers.Count} servers.", nameof(spans));
        for (var i = 0; i < spans.Count; i++)
        {
            var s = spans[i];
            if (s.IsEmpty) continue;
            if (s.Start < 0 || s.End > Layers) throw new ArgumentException($"Server {Servers[i].Name}: layers {s.Start}..{s.End - 1} are outside the model's 0..{Layers - 1}.", nameof(spans));
            if (s.Count > Servers[i].Profile.MaxLayers)
                throw new ArgumentException($"Server {Servers[i].Name} holds {s.Count} layers; its profile covers {Servers[i].Profile.MaxLayers}.", nameof(spans));
        }
    }
}
