namespace Stamen.Simulation.Metrics;

/// <summary>
/// Percentiles by linear interpolation between order statistics, numpy's default rule: for n
/// sorted values and fraction p, h = (n - 1) p, result = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
/// </summary>
public static class Percentiles
{
    /// <summary>The <paramref name="fraction"/> quantile (0..1) of ascending <paramref name="sorted"/>; NaN when empty.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (fraction is < 0 or > 1 || double.IsNaN(fraction)) throw new ArgumentOutOfRangeException(nameof(fraction), "Use a fraction in [0, 1].");
        if (sorted.Count == 0) return double.NaN;
        var h = (sorted.Count - 1) * fraction;
        var lower = (int)Math.Floor(h);
        if (lower >= sorted.Count - 1) return sorted[^1];
        return sorted[lower] + (h - lower) * (sorted[lower + 1] - sorted[lower]);
    }
}
