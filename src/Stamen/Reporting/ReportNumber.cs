using System.Globalization;

namespace Stamen.Reporting;

/// <summary>Numbers as report text: invariant culture always, so a report reads the same on every machine.</summary>
public static class ReportNumber
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
