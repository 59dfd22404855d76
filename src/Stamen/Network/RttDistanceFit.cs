using System.Globalization;
using CsvHelper;
using MathNet.Numerics;

namespace Stamen.Network;

/// <summary>
/// A measured straight-line model of Internet RTT against great-circle distance:
/// RTT = <see cref="InterceptMs"/> + <see cref="MsPerKm"/> x km, fitted by least squares. Use it as a
/// check on (or replacement for) the <see cref="FibreModel"/>: its slope 2 x route factor / fibre speed
/// is 0.0147 ms/km with the defaults; the intercept holds access and processing delays.
/// </summary>
public sealed record RttDistanceFit(double InterceptMs, double MsPerKm, double RSquared, int Samples)
{
    public double RttMs(double km) => InterceptMs + MsPerKm * km;

    /// <summary>Least-squares line through (km, RTT ms) samples (MathNet <c>Fit.Line</c>).</summary>
    public static RttDistanceFit Fit(IReadOnlyList<(double Km, double RttMs)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2 || samples.Select(s => s.Km).Distinct().Count() < 2)
            throw new StamenInputException("(RTT samples)", "samples", "need at least two distinct distances to fit a line",
                "give more measurements");
        var x = samples.Select(s => s.Km).ToArray();
        var y = samples.Select(s => s.RttMs).ToArray();
        var (intercept, slope) = MathNet.Numerics.Fit.Line(x, y);
        var r2 = GoodnessOfFit.RSquared(x.Select(k => intercept + slope * k), y);
        return new RttDistanceFit(intercept, slope, r2, samples.Count);
    }
}

/// <summary>
/// Fits <see cref="RttDistanceFit"/> to the RIPE Atlas EU anchor measurements
/// (<c>rtt/ripe_atlas_eu_rtt.csv</c>: columns <c>latency_m1..m4</c> are RTTs from four fixed
/// measurement points to the anchor at <c>latitude</c>, <c>longitude</c>). The file does not give the
/// measurement points' locations, so, unless one is passed, the vantage is taken to be the anchor with
/// the smallest RTT in the chosen column. That is sound for <c>latency_m1</c> (default: 1.5 ms to an
/// anchor in Frankfurt) and <c>latency_m2</c> (1.2 ms to one in Dublin); <c>m3</c> and <c>m4</c> see no
/// anchor closer than 15 ms, so their vantage lies outside the anchor set and needs to be given.
/// </summary>
public static class RipeAtlasRttFitter
{
    public const string DefaultColumn = "latency_m1";

    public static RttDistanceFit Fit(string path, string column = DefaultColumn, double? vantageLatitudeDeg = null, double? vantageLongitudeDeg = null) =>
        FitSamples(Read(path, column), vantageLatitudeDeg, vantageLongitudeDeg);

    /// <summary>(latitude, longitude, RTT ms) per anchor from the file.</summary>
    public static IReadOnlyList<(double LatDeg, double LonDeg, double RttMs)> Read(string path, string column = DefaultColumn)
    {
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", $"RTT measurement file not found (looked at {Path.GetFullPath(path)})", "check the path");
        using var reader = new StreamReader(Stamen.IO.BoundedFile.OpenRead(path, Stamen.IO.BoundedFile.MaxDataBytes, "RTT measurement"));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        if (!csv.Read() || !csv.ReadHeader())
            throw new StamenInputException(path, "line 1", "empty file", "use the RIPE Atlas CSV with its header");
        foreach (var required in new[] { column, "latitude", "longitude" })
            if (!(csv.HeaderRecord ?? []).Contains(required, StringComparer.Ordinal))
                throw new StamenInputException(path, "line 1", $"no column '{required}'",
                    "use one of latency_m1..latency_m4 and a file with latitude and longitude columns");

        var rows = new List<(double, double, double)>();
        while (csv.Read())
        {
            double Number(string name)
            {
                var text = csv.GetField(name) ?? "";
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                    ? v
                    : throw new StamenInputException(path, string.Create(CultureInfo.InvariantCulture, $"line {csv.Parser.RawRow}, {name}"),
                        $"'{text}' is not a number", "fix or remove the row");
            }
            rows.Add((Number("latitude"), Number("longitude"), Number(column)));
        }
        return rows;
    }

    /// <summary>Fits RTT against distance from the vantage (the lowest-RTT anchor when not given).</summary>
    public static RttDistanceFit FitSamples(IReadOnlyList<(double LatDeg, double LonDeg, double RttMs)> rows,
        double? vantageLatitudeDeg = null, double? vantageLongitudeDeg = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            throw new StamenInputException("(RTT samples)", "rows", "no measurements", "give a file with rows");
        var nearest = rows.MinBy(r => r.RttMs);
        var lat = vantageLatitudeDeg ?? nearest.LatDeg;
        var lon = vantageLongitudeDeg ?? nearest.LonDeg;
        return RttDistanceFit.Fit(rows.Select(r => (GreatCircle.DistanceKm(lat, lon, r.LatDeg, r.LonDeg), r.RttMs)).ToList());
    }
}
