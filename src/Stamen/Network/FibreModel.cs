namespace Stamen.Network;

/// <summary>
/// One-way propagation delay of a fibre link between two points from their great-circle distance:
/// delay = km x <see cref="RouteFactor"/> / <see cref="SpeedKmPerSec"/>.
/// Defaults: light in fibre travels at c / 1.468 (the refractive index of standard single-mode
/// fibre) = 204,190 km/s; fibre follows roads, rails and coasts, so routes are longer than the
/// great circle: factor 1.5, within the 1.2-2 range measured for Internet paths.
/// </summary>
public sealed record FibreModel(double SpeedKmPerSec = 204_190, double RouteFactor = 1.5)
{
    public static readonly FibreModel Default = new();

    /// <summary>One-way delay (ms) over a great-circle distance of <paramref name="km"/>.</summary>
    public double OneWayDelayMs(double km) => km * RouteFactor / SpeedKmPerSec * 1000.0;

    /// <summary>Throws an input error unless the speed is positive and the route factor at least 1.</summary>
    public void Validate()
    {
        if (!(SpeedKmPerSec > 0) || double.IsInfinity(SpeedKmPerSec))
            throw new StamenInputException("(fibre model)", "speed_km_per_sec", "must be a positive number", "use 204190 km/s");
        if (!(RouteFactor >= 1) || double.IsInfinity(RouteFactor))
            throw new StamenInputException("(fibre model)", "route_factor",
                "must be at least 1 (a route is never shorter than the great circle)", "use 1.5");
    }
}

/// <summary>Great-circle distance on a spherical Earth (haversine; radius 6371 km, the mean radius).</summary>
public static class GreatCircle
{
    public const double EarthRadiusKm = 6371.0;

    public static double DistanceKm(double lat1Deg, double lon1Deg, double lat2Deg, double lon2Deg)
    {
        static double Rad(double deg) => deg * Math.PI / 180.0;
        var dLat = Rad(lat2Deg - lat1Deg);
        var dLon = Rad(lon2Deg - lon1Deg);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
                + Math.Cos(Rad(lat1Deg)) * Math.Cos(Rad(lat2Deg)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Sqrt(Math.Min(1.0, h)));
    }
}
