namespace Stamen.Simulation.Metrics;

/// <summary>
/// Counts of non-negative values in logarithmic buckets (the top 10 mantissa bits of the double, as
/// HdrHistogram does), for quantiles of millions of samples without storing or sorting them: an engine
/// run emits one inter-token gap per token. Count, sum, min and max are exact; a quantile is the
/// midpoint of the bucket holding the order statistic at rank floor((n - 1) p), clamped to [min, max],
/// so within 0.05% of that order statistic. Values below 2^-20 share the lowest bucket and above 2^40
/// the highest (milliseconds: below a nanosecond, above 34 years).
/// </summary>
public sealed class LogHistogram
{
    private const int MantissaBits = 10;
    private const int MinExponent = -20;
    private const int MaxExponent = 40;
    private static readonly long MinKey = KeyOf(Math.Pow(2, MinExponent));
    private static readonly long MaxKey = KeyOf(Math.Pow(2, MaxExponent));
    private readonly long[] _counts = new long[MaxKey - MinKey + 1];
    private long _zeros;

    public long Count { get; private set; }

    public double Sum { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>Mean of the values; NaN when empty.</summary>
    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    public void Add(double value)
    {
        if (!(value >= 0) || double.IsPositiveInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), "Histogram values must be finite and non-negative.");
        Count++;
        Sum += value;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
        if (value == 0) _zeros++;
        else
        {
            // Consecutive samples often repeat (every decode in one engine step has the step's gap): skip the logarithm.
            if (value != _lastValue)
            {
                _lastValue = value;
                _lastIndex = (int)(Math.Clamp(KeyOf(value), MinKey, MaxKey) - MinKey);
            }
            _counts[_lastIndex]++;
        }
    }

    /// <summary>
    /// Adds <paramref name="value"/> <paramref name="count"/> times, with the same count, extremes, buckets and, adding one at
    /// a time, the same sum bits as that many <see cref="Add"/> calls: an engine step's decodes all share one gap.
    /// </summary>
    public void AddRepeated(double value, long count)
    {
        if (count <= 0) return;
        if (!(value >= 0) || double.IsPositiveInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), "Histogram values must be finite and non-negative.");
        Count += count;
        var sum = Sum;
        for (var k = 0L; k < count; k++) sum += value;
        Sum = sum;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
        if (value == 0) _zeros += count;
        else
        {
            if (value != _lastValue)
            {
                _lastValue = value;
                _lastIndex = (int)(Math.Clamp(KeyOf(value), MinKey, MaxKey) - MinKey);
            }
            _counts[_lastIndex] += count;
        }
    }

    private double _lastValue = double.NaN;
    private int _lastIndex;

    /// <summary>The <paramref name="fraction"/> quantile (0..1), as the class describes; NaN when empty.</summary>
    public double Quantile(double fraction)
    {
        if (fraction is < 0 or > 1 || double.IsNaN(fraction)) throw new ArgumentOutOfRangeException(nameof(fraction), "Use a fraction in [0, 1].");
        if (Count == 0) return double.NaN;
        var rank = Rank(fraction);
        if (rank < _zeros) return 0;
        var seen = _zeros;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen > rank) return Math.Clamp(Midpoint(i + MinKey), Min, Max);
        }
        return Max;
    }

    /// <summary>
    /// The quantiles at <paramref name="fractions"/> (ascending, each in 0..1), as <see cref="Quantile"/> gives them, in one
    /// pass over the buckets: a CDF for a report costs one scan, not one per point. NaN each when empty.
    /// </summary>
    public double[] Quantiles(IReadOnlyList<double> fractions)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        var result = new double[fractions.Count];
        for (var k = 0; k < fractions.Count; k++)
        {
            if (fractions[k] is < 0 or > 1 || double.IsNaN(fractions[k]) || (k > 0 && fractions[k] < fractions[k - 1]))
                throw new ArgumentOutOfRangeException(nameof(fractions), "Use ascending fractions in [0, 1].");
        }
        if (Count == 0)
        {
            Array.Fill(result, double.NaN);
            return result;
        }
        var next = 0;
        for (; next < result.Length && Rank(fractions[next]) < _zeros; next++) result[next] = 0;
        var seen = _zeros;
        for (var i = 0; i < _counts.Length && next < result.Length; i++)
        {
            seen += _counts[i];
            for (; next < result.Length && seen > Rank(fractions[next]); next++) result[next] = Math.Clamp(Midpoint(i + MinKey), Min, Max);
        }
        for (; next < result.Length; next++) result[next] = Max;
        return result;
    }

    private long Rank(double fraction) => (long)Math.Floor((Count - 1) * fraction);

    private static long KeyOf(double positive) => BitConverter.DoubleToInt64Bits(positive) >> (52 - MantissaBits);

    private static double Midpoint(long key)
    {
        var low = BitConverter.Int64BitsToDouble(key << (52 - MantissaBits));
        var high = BitConverter.Int64BitsToDouble((key + 1) << (52 - MantissaBits));
        return (low + high) / 2;
    }
}
