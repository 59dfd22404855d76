using System.Globalization;

namespace Stamen.Network;

/// <summary>A latitude/longitude rectangle (degrees).</summary>
public sealed record GeoBox(double MinLatitudeDeg, double MaxLatitudeDeg, double MinLongitudeDeg, double MaxLongitudeDeg)
{
    /// <summary>Europe from Lisbon/Sicily to Scandinavia and the Baltics: 36-60 N, 10 W-30 E (where the RIPE Atlas EU data lies).</summary>
    public static readonly GeoBox Europe = new(36, 60, -10, 30);

    /// <summary>The contiguous United States: 25-49 N, 125-67 W.</summary>
    public static readonly GeoBox ContiguousUs = new(25, 49, -125, -67);
}

/// <summary>
/// Settings of <see cref="SyntheticTopologyGenerator"/>. Each node gets a one-way access delay
/// drawn uniformly from [<see cref="MinAccessDelayMs"/>, <see cref="MaxAccessDelayMs"/>]: the last
/// mile from the host to the backbone (0.5 ms for a data-centre host, up to 5 ms one way for
/// cable/DSL), which great-circle distance alone misses.
/// </summary>
public sealed record SyntheticTopologyOptions(GeoBox Region, FibreModel Fibre, double MinAccessDelayMs = 0.5, double MaxAccessDelayMs = 5)
{
    public static readonly SyntheticTopologyOptions Default = new(GeoBox.Europe, FibreModel.Default);
}

/// <summary>
/// Random geo-distributed hosts for experiments without a real map: n nodes with latitude and
/// longitude uniform in a box (uniform in degrees, not area: fine for a continent), full mesh.
/// RTT(a, b) = 2 x (access_a + fibre delay of the great circle a-b + access_b), the fibre delay as in
/// <see cref="GraphMlTopologyLoader"/>. Deterministic for a seed; nodes are named <c>n0</c>, <c>n1</c>, ...
/// </summary>
public static class SyntheticTopologyGenerator
{
    public static Topology Generate(int nodeCount, int seed, SyntheticTopologyOptions? options = null)
    {
        var o = options ?? SyntheticTopologyOptions.Default;
        const string Source = "(synthetic topology)";
        if (nodeCount <= 0)
            throw new StamenInputException(Source, "nodes", string.Create(CultureInfo.InvariantCulture, $"must be positive, got {nodeCount}"), "use 1 or more");
        var box = o.Region;
        if (!(box.MinLatitudeDeg <= box.MaxLatitudeDeg) || box.MinLatitudeDeg < -90 || box.MaxLatitudeDeg > 90
            || !(box.MinLongitudeDeg <= box.MaxLongitudeDeg) || box.MinLongitudeDeg < -180 || box.MaxLongitudeDeg > 180)
            throw new StamenInputException(Source, "region", "not a valid latitude/longitude box", "use min <= max within +-90 and +-180 degrees");
        if (!(o.MinAccessDelayMs >= 0) || !(o.MaxAccessDelayMs >= o.MinAccessDelayMs) || double.IsInfinity(o.MaxAccessDelayMs))
            throw new StamenInputException(Source, "access_delay_ms", "need 0 <= min <= max", "use e.g. 0.5 and 5 ms");
        o.Fibre.Validate();

        var rng = new Random(seed);
        var nodes = new List<NetworkNode>(nodeCount);
        var access = new double[nodeCount];
        for (var i = 0; i < nodeCount; i++)
        {
            var lat = box.MinLatitudeDeg + rng.NextDouble() * (box.MaxLatitudeDeg - box.MinLatitudeDeg);
            var lon = box.MinLongitudeDeg + rng.NextDouble() * (box.MaxLongitudeDeg - box.MinLongitudeDeg);
            access[i] = o.MinAccessDelayMs + rng.NextDouble() * (o.MaxAccessDelayMs - o.MinAccessDelayMs);
            nodes.Add(new NetworkNode(string.Create(CultureInfo.InvariantCulture, $"n{i}"), lat, lon));
        }

        var rtt = new double[nodeCount, nodeCount];
        for (var a = 0; a < nodeCount; a++)
            for (var b = a + 1; b < nodeCount; b++)
            {
                var km = GreatCircle.DistanceKm(nodes[a].LatitudeDeg!.Value, nodes[a].LongitudeDeg!.Value,
                    nodes[b].LatitudeDeg!.Value, nodes[b].LongitudeDeg!.Value);
                rtt[a, b] = rtt[b, a] = 2 * (access[a] + o.Fibre.OneWayDelayMs(km) + access[b]);
            }
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"synthetic: seed {seed}, box {box.MinLatitudeDeg}..{box.MaxLatitudeDeg} N, {box.MinLongitudeDeg}..{box.MaxLongitudeDeg} E, access delay {o.MinAccessDelayMs}-{o.MaxAccessDelayMs} ms one way"),
        };
        return new Topology(string.Create(CultureInfo.InvariantCulture, $"synthetic-{nodeCount}-seed{seed}"), nodes, rtt, null, notes);
    }
}
