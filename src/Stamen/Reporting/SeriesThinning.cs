using System.Globalization;

namespace Stamen.Reporting;

/// <summary>
/// Keeps charts small: a report draws a few hundred points per series however many requests or samples a run had,
/// so the HTML stays well under a few MB. Thinning keeps the first and last point, so a CDF still ends at 1 and a
/// timeline still spans the run.
/// </summary>
internal static class SeriesThinning
{
    /// <summary>Points per series a report keeps.</summary>
    public const int MaxPoints = 200;

    /// <summary>Evenly spaced indices of a list of <paramref name="count"/> items, at most <paramref name="maxPoints"/>, first and last included.</summary>
    public static IReadOnlyList<int> Indices(int count, int maxPoints = MaxPoints)
    {
        if (count <= maxPoints) return [.. Enumerable.Range(0, count)];
        var picked = new List<int>(maxPoints);
        for (var k = 0; k < maxPoints; k++)
        {
            var i = (int)Math.Round(k * (count - 1.0) / (maxPoints - 1), MidpointRounding.AwayFromZero);
            if (picked.Count == 0 || picked[^1] != i) picked.Add(i);
        }
        return picked;
    }

    /// <summary>The series through (x[i], y[i]), thinned.</summary>
    public static XySeries Line(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, bool step = false, int maxPoints = MaxPoints)
    {
        var keep = Indices(Math.Min(x.Count, y.Count), maxPoints);
        return new XySeries(name, [.. keep.Select(i => x[i])], [.. keep.Select(i => y[i])], step);
    }

    /// <summary>
    /// The empirical CDF of the finite <paramref name="values"/> as a staircase: the i-th smallest value at (i + 1) / n,
    /// thinned; empty when there are no values.
    /// </summary>
    public static XySeries EmpiricalCdf(string name, IEnumerable<double> values, int maxPoints = MaxPoints)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        var fractions = Enumerable.Range(1, sorted.Length).Select(i => (double)i / sorted.Length).ToArray();
        return Line(name, sorted, fractions, step: true, maxPoints);
    }

    /// <summary>A CDF from quantiles taken at ascending <paramref name="fractions"/> (a histogram's), skipping NaN ones.</summary>
    public static XySeries QuantileCdf(string name, IReadOnlyList<double> quantiles, IReadOnlyList<double> fractions, double scale = 1)
    {
        var keep = Enumerable.Range(0, Math.Min(quantiles.Count, fractions.Count)).Where(i => double.IsFinite(quantiles[i])).ToArray();
        return Line(name, [.. keep.Select(i => quantiles[i] * scale)], [.. keep.Select(i => fractions[i])], step: true);
    }
}

/// <summary>Numbers as report text: invariant culture always, so a report reads the same on every machine.</summary>
internal static class ReportNumber
{
    public static string F(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";

    public static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Percent(double fraction, string format = "0.0") => F(100 * fraction, format) + "%";

    /// <summary>How many times <paramref name="high"/> is of <paramref name="low"/>, e.g. "3.2x", or "-" when it is not defined.</summary>
    public static string Ratio(double high, double low) =>
        low > 0 && double.IsFinite(high) ? F(high / low, high / low >= 10 ? "0" : "0.0#") + "x" : "-";

    /// <summary>Names as prose: "a", "a and b", "a, b and c".</summary>
    public static string Names(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
}
