namespace Stamen.Reporting;

/// <summary>
/// Empirical distributions and thinned series for charts. A report carries a few hundred points per series, not one per
/// request, so a 10,000-request scenario stays a small file; thinning keeps the first, last, lowest and highest points
/// so the extremes a reader looks for survive.
/// </summary>
public static class Cdf
{
    /// <summary>Most points a chart series carries.</summary>
    public const int MaxPoints = 200;

    /// <summary>
    /// The empirical CDF of <paramref name="values"/> as a step series: each distinct value once, in ascending order, with the
    /// fraction of values at or below it (the last is 1). NaNs and infinities are dropped; no values give an empty series.
    /// </summary>
    public static XySeries Of(string name, IEnumerable<double> values, int maxPoints = MaxPoints)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        var x = new List<double>();
        var y = new List<double>();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i + 1 < sorted.Length && sorted[i + 1] == sorted[i]) continue;
            x.Add(sorted[i]);
            y.Add((i + 1) / (double)sorted.Length);
        }
        var (dx, dy) = Downsample(x, y, maxPoints);
        return new XySeries(name, dx, dy, Step: true);
    }

    /// <summary>
    /// At most <paramref name="maxPoints"/> of the points (x[i], y[i]), in their order: evenly spaced indices from the first to
    /// the last, plus the points with the lowest and highest y. Fewer points than the cap come back unchanged.
    /// </summary>
    public static (IReadOnlyList<double> X, IReadOnlyList<double> Y) Downsample(IReadOnlyList<double> x, IReadOnlyList<double> y, int maxPoints = MaxPoints)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException("x and y must have the same length", nameof(y));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 4);
        var n = x.Count;
        if (n <= maxPoints) return ([.. x], [.. y]);
        int lowest = 0, highest = 0;
        for (var i = 1; i < n; i++)
        {
            if (y[i] < y[lowest]) lowest = i;
            if (y[i] > y[highest]) highest = i;
        }
        var spaced = maxPoints - 2;
        var keep = new SortedSet<int> { lowest, highest };
        for (var k = 0; k < spaced; k++) keep.Add((int)Math.Round(k * (n - 1) / (double)(spaced - 1)));
        return ([.. keep.Select(i => x[i])], [.. keep.Select(i => y[i])]);
    }

    /// <summary>The series through (x[i], y[i]), thinned by <see cref="Downsample"/>.</summary>
    public static XySeries Line(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, bool step = false, int maxPoints = MaxPoints)
    {
        var (dx, dy) = Downsample(x, y, maxPoints);
        return new XySeries(name, dx, dy, step);
    }

    /// <summary>A CDF from quantiles taken at ascending <paramref name="fractions"/> (a histogram's), skipping non-finite ones, x times <paramref name="scale"/>.</summary>
    public static XySeries FromQuantiles(string name, IReadOnlyList<double> quantiles, IReadOnlyList<double> fractions, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        ArgumentNullException.ThrowIfNull(fractions);
        var keep = Enumerable.Range(0, Math.Min(quantiles.Count, fractions.Count)).Where(i => double.IsFinite(quantiles[i])).ToArray();
        return Line(name, [.. keep.Select(i => quantiles[i] * scale)], [.. keep.Select(i => fractions[i])], step: true);
    }
}
