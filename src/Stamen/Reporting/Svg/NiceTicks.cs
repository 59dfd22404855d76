using System.Globalization;

namespace Stamen.Reporting.Svg;

/// <summary>A tick spacing of <see cref="Mantissa"/> (1, 2 or 5) × 10^<see cref="Exponent"/>: steps a reader adds up in their head.</summary>
internal readonly record struct TickStep(int Mantissa, int Exponent)
{
    public double Value => Scaled(1);

    /// <summary>k steps, computed as k·m / 10^-e for negative exponents so that 3 × 0.1 gives 0.3 and not 0.30000000000000004.</summary>
    public double Scaled(double k) =>
        Exponent >= 0 ? k * Mantissa * Math.Pow(10, Exponent) : k * Mantissa / Math.Pow(10, -Exponent);
}

/// <summary>Tick values for axes: 1-2-5 steps on linear axes, decades on log axes, and their labels.</summary>
internal static class NiceTicks
{
    /// <summary>
    /// The smallest 1-2-5 step at least a fifth of the range: it lies between range/5 and range/2, so any interval of
    /// that length holds 2 to 6 of its multiples.
    /// </summary>
    public static TickStep Step(double min, double max)
    {
        var raw = (max - min) / 5;
        var exponent = (int)Math.Floor(Math.Log10(raw));
        var fraction = raw / Math.Pow(10, exponent);
        return fraction switch
        {
            <= 1 => new TickStep(1, exponent),
            <= 2 => new TickStep(2, exponent),
            <= 5 => new TickStep(5, exponent),
            _ => new TickStep(1, exponent + 1),
        };
    }

    /// <summary>Multiples of <see cref="Step"/> within [min, max]; <paramref name="min"/> &lt; <paramref name="max"/>, both finite.</summary>
    public static IReadOnlyList<double> Linear(double min, double max)
    {
        var step = Step(min, max);
        var value = step.Value;
        // The tolerance keeps a bound that is itself a multiple (0.3 from 3 × 0.1) from being lost to rounding.
        var first = (long)Math.Ceiling(min / value - 1e-9);
        var last = (long)Math.Floor(max / value + 1e-9);
        var ticks = new List<double>((int)Math.Max(0, last - first + 1));
        for (var k = first; k <= last; k++) ticks.Add(step.Scaled(k));
        return ticks;
    }

    /// <summary>Powers of ten within [min, max] (0 &lt; min &lt; max), thinned to at most 10; 1-2-5 within a decade when fewer than two fit.</summary>
    public static IReadOnlyList<double> Log(double min, double max)
    {
        var low = (int)Math.Ceiling(Math.Log10(min) - 1e-9);
        var high = (int)Math.Floor(Math.Log10(max) + 1e-9);
        if (high - low < 1)
        {
            var within = new List<double>();
            for (var e = low - 1; e <= high; e++)
                foreach (var m in (ReadOnlySpan<int>)[1, 2, 5])
                {
                    var v = Power(e) * m;
                    if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) within.Add(v);
                }
            return within.Count >= 2 ? within : Linear(min, max);
        }
        var every = (high - low) / 10 + 1;
        var ticks = new List<double>();
        for (var e = low; e <= high; e += every) ticks.Add(Power(e));
        return ticks;
    }

    public static double Power(int exponent) => exponent >= 0 ? Math.Pow(10, exponent) : 1 / Math.Pow(10, -exponent);

    /// <summary>
    /// A linear tick label with as many decimals as the spacing needs, and k from 10 000 and M/G/T from a million up ("20k", "2.5M") so
    /// labels stay short.
    /// </summary>
    public static string Label(double value, IReadOnlyList<double> ticks)
    {
        var largest = ticks.Count == 0 ? Math.Abs(value) : ticks.Max(Math.Abs);
        var (divisor, suffix) = Prefix(largest);
        // The fewest decimals that write every tick exactly, so labels along one axis agree ("0.5", "1", "1.5").
        var spacing = ticks.Count >= 2 ? Math.Abs(ticks[1] - ticks[0]) : Math.Abs(value);
        var tolerance = Math.Max(spacing / divisor * 1e-6, 1e-15);
        var decimals = 0;
        while (decimals < 15 && ticks.Any(t => Math.Abs(Math.Round(t / divisor, decimals) - t / divisor) > tolerance)) decimals++;
        return Format(value / divisor, decimals) + suffix;
    }

    /// <summary>A log tick label: each value with its own prefix ("1", "10", "100", "1k"), since the ticks differ by decades.</summary>
    public static string LogLabel(double value)
    {
        var (divisor, suffix) = Prefix(Math.Abs(value));
        var scaled = value / divisor;
        var decimals = scaled > 0 ? Math.Clamp(-(int)Math.Floor(Math.Log10(scaled) + 1e-9), 0, 12) : 0;
        return Format(scaled, decimals) + suffix;
    }

    /// <summary>A value in about three significant digits with a k/M/G/T prefix, for labels on marks ("1.25k", "37.5").</summary>
    public static string Short(double value)
    {
        var (divisor, suffix) = Prefix(Math.Abs(value));
        var scaled = value / divisor;
        var decimals = Math.Abs(scaled) >= 100 ? 0 : Math.Abs(scaled) >= 10 ? 1 : 2;
        return Format(scaled, decimals) + suffix;
    }

    private static (double Divisor, string Suffix) Prefix(double largest) => largest switch
    {
        >= 1e12 => (1e12, "T"),
        >= 1e9 => (1e9, "G"),
        >= 1e6 => (1e6, "M"),
        >= 1e4 => (1e3, "k"),
        _ => (1.0, ""),
    };

    private static string Format(double value, int decimals)
    {
        if (Math.Abs(value) < 1e-12) value = 0;
        return value.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }
}
