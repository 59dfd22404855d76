using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Stamen.Network;

/// <summary>
/// Reads an Internet Topology Zoo GraphML file (Knight et al. 2011). Node attributes are found
/// through their <c>&lt;key attr.name="Latitude|Longitude|label"&gt;</c> declarations, not fixed
/// ids. Each undirected link's one-way delay comes from its great-circle length through the
/// <see cref="FibreModel"/>; RTT = 2 x the shortest-path one-way delay. Links with
/// <c>LinkSpeedRaw</c> (bit/s) give bottleneck bandwidths; others leave bandwidth unknown.
/// <para>
/// Nodes without coordinates are placed at the centroid (plain mean of latitude and longitude,
/// fine at PoP scale) of their neighbours that have coordinates, repeated until nothing changes;
/// nodes still unplaced are dropped with their links. Both are recorded in
/// <see cref="Topology.Notes"/>. Missing labels become <c>node &lt;id&gt;</c>; repeated labels
/// get <c>" (&lt;id&gt;)"</c> appended so names stay unique.
/// </para>
/// </summary>
public sealed class GraphMlTopologyLoader(FibreModel? fibre = null) : ITopologyLoader
{
    private readonly FibreModel _fibre = fibre ?? FibreModel.Default;

    public Topology Load(string path)
    {
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", $"GraphML topology file not found (looked at {Path.GetFullPath(path)})", "check the path");
        XDocument doc;
        try
        {
            doc = XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new StamenInputException(path, string.Create(CultureInfo.InvariantCulture, $"line {e.LineNumber}"),
                "not valid XML: " + e.Message.TrimEnd('.'), "pass a GraphML file");
        }
        return Parse(doc, path, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Builds the topology from a parsed document; <paramref name="source"/> names it in errors.</summary>
    public Topology Parse(XDocument doc, string source, string name)
    {
        _fibre.Validate();
        var root = doc.Root ?? throw new StamenInputException(source, "graphml", "empty document", "pass a GraphML file");
        var ns = root.Name.Namespace;
        var keys = root.Elements(ns + "key")
            .Select(k => (Id: (string?)k.Attribute("id"), Name: (string?)k.Attribute("attr.name"), For: (string?)k.Attribute("for")))
            .Where(k => k.Id is not null && k.Name is not null)
            .ToList();
        string? KeyId(string attrName, string forWhat) =>
            keys.FirstOrDefault(k => k.Name == attrName && (k.For == forWhat || k.For == "all")).Id;
        var latKey = KeyId("Latitude", "node");
        var lonKey = KeyId("Longitude", "node");
        var labelKey = KeyId("label", "node");
        var speedKey = KeyId("LinkSpeedRaw", "edge");

        var graph = root.Element(ns + "graph")
            ?? throw new StamenInputException(source, "graph", "no <graph> element", "pass a GraphML file with one graph");
        var notes = new List<string>();

        // Nodes, with labels made unique.
        var raw = new List<(string Id, string? Label, double? Lat, double? Lon)>();
        foreach (var node in graph.Elements(ns + "node"))
        {
            var id = (string?)node.Attribute("id")
                     ?? throw new StamenInputException(source, At(node), "a <node> has no id", "give every node an id");
            raw.Add((id, Data(node, ns, labelKey), Coordinate(node, ns, latKey, source, "Latitude"), Coordinate(node, ns, lonKey, source, "Longitude")));
        }
        var idToRaw = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < raw.Count; i++)
            if (!idToRaw.TryAdd(raw[i].Id, i))
                throw new StamenInputException(source, "node", $"node id '{raw[i].Id}' appears twice", "make node ids unique");
        var labelCounts = raw.GroupBy(r => r.Label ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var names = raw.Select(r => r.Label is null || r.Label.Length == 0 ? $"node {r.Id}"
            : labelCounts[r.Label] > 1 ? $"{r.Label} ({r.Id})" : r.Label).ToList();
        var renamed = raw.Where(r => r.Label is { Length: > 0 } l && labelCounts[l] > 1).Select(r => r.Label).Distinct().ToList();
        if (renamed.Count > 0)
            notes.Add($"repeated labels made unique by appending the node id: {string.Join(", ", renamed)}");

        // Undirected links.
        var links = new List<(int A, int B, double? BitsPerSec)>();
        foreach (var edge in graph.Elements(ns + "edge"))
        {
            int End(string attr)
            {
                var id = (string?)edge.Attribute(attr)
                         ?? throw new StamenInputException(source, At(edge), $"an <edge> has no {attr}", "give every edge a source and target");
                return idToRaw.TryGetValue(id, out var i) ? i
                    : throw new StamenInputException(source, At(edge), $"edge {attr} '{id}' is not a node id", "fix the edge");
            }
            var (a, b) = (End("source"), End("target"));
            if (a == b) continue;
            double? speed = double.TryParse(Data(edge, ns, speedKey), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : null;
            links.Add((a, b, speed));
        }

        // Place nodes without coordinates at their placed neighbours' centroid, round by round.
        var lat = raw.Select(r => r.Lat is not null && r.Lon is not null ? r.Lat : null).ToArray();
        var lon = raw.Select(r => r.Lat is not null && r.Lon is not null ? r.Lon : null).ToArray();
        var placed = new List<string>();
        while (true)
        {
            var updates = new List<(int Node, double Lat, double Lon)>();
            for (var i = 0; i < raw.Count; i++)
            {
                if (lat[i] is not null) continue;
                var neighbours = links.Where(l => l.A == i || l.B == i).Select(l => l.A == i ? l.B : l.A)
                    .Distinct().Where(j => lat[j] is not null).ToList();
                if (neighbours.Count > 0)
                    updates.Add((i, neighbours.Average(j => lat[j]!.Value), neighbours.Average(j => lon[j]!.Value)));
            }
            if (updates.Count == 0) break;
            foreach (var (i, la, lo) in updates)
            {
                lat[i] = la;
                lon[i] = lo;
                placed.Add(names[i]);
            }
        }
        if (placed.Count > 0)
            notes.Add($"no coordinates; placed at the centroid of their neighbours: {string.Join(", ", placed)}");
        var dropped = Enumerable.Range(0, raw.Count).Where(i => lat[i] is null).Select(i => names[i]).ToList();
        if (dropped.Count > 0)
            notes.Add($"no coordinates and no placed neighbour; dropped: {string.Join(", ", dropped)}");

        // Surviving nodes and their links.
        var kept = Enumerable.Range(0, raw.Count).Where(i => lat[i] is not null).ToList();
        var newIndex = new Dictionary<int, int>();
        for (var k = 0; k < kept.Count; k++) newIndex[kept[k]] = k;
        var nodes = kept.Select(i => new NetworkNode(names[i], lat[i], lon[i])).ToList();
        var linkGraph = new LinkGraph(nodes.Count);
        foreach (var (a, b, bits) in links)
        {
            if (!newIndex.TryGetValue(a, out var ka) || !newIndex.TryGetValue(b, out var kb)) continue;
            var km = GreatCircle.DistanceKm(lat[a]!.Value, lon[a]!.Value, lat[b]!.Value, lon[b]!.Value);
            var delayMs = _fibre.OneWayDelayMs(km);
            double? bytesPerSec = bits / 8.0;
            linkGraph.AddLink(ka, kb, delayMs, bytesPerSec);
            linkGraph.AddLink(kb, ka, delayMs, bytesPerSec);
        }
        var (rtt, bandwidth) = linkGraph.AllPairs(nodes.Select(x => x.Name).ToList(), source);
        return new Topology(name, nodes, rtt, bandwidth, notes);
    }

    private static string? Data(XElement element, XNamespace ns, string? key) =>
        key is null ? null : element.Elements(ns + "data").FirstOrDefault(d => (string?)d.Attribute("key") == key)?.Value.Trim();

    private static double? Coordinate(XElement node, XNamespace ns, string? key, string source, string field)
    {
        var text = Data(node, ns, key);
        if (string.IsNullOrEmpty(text)) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new StamenInputException(source, $"{At(node)}, {field}", $"'{text}' is not a number", "write decimal degrees");
    }

    private static string At(XElement element) =>
        element is IXmlLineInfo info && info.HasLineInfo()
            ? string.Create(CultureInfo.InvariantCulture, $"line {info.LineNumber}")
            : element.Name.LocalName;
}
