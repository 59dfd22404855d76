namespace Stamen.Reporting.Svg;

/// <summary>
/// One numeric axis fitted to its data: the domain (the axis' fixed bounds where given, else the data widened to whole
/// ticks), its ticks, and the map from a value to a pixel.
/// </summary>
internal sealed class AxisMap
{
    private readonly double _from;
    private readonly double _to;

    private AxisMap(bool log, double min, double max, IReadOnlyList<double> ticks, double from, double to)
    {
        IsLog = log;
        Min = min;
        Max = max;
        Ticks = ticks;
        _from = from;
        _to = to;
    }

    public bool IsLog { get; }
    public double Min { get; }
    public double Max { get; }
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>
    /// Fits the axis to <paramref name="values"/> and maps it onto pixels <paramref name="from"/>..<paramref name="to"/>
    /// (to &lt; from for a y axis). Non-finite values, and values ≤ 0 on a log axis, are left out; no values gives 0..1
    /// (1..10 on a log axis); all-equal values are widened so the one value sits mid-axis.
    /// </summary>
    public static AxisMap Fit(Axis axis, IEnumerable<double> values, double from, double to, bool includeZero = false)
    {
        var log = axis.Scale == AxisScale.Log;
        // Beyond 1e300 the range itself overflows a double; such values are as unplottable as infinities.
        bool Usable(double v) => double.IsFinite(v) && Math.Abs(v) < 1e300 && (!log || v > 0);
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (!Usable(v)) continue;
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        if (includeZero && !log)
        {
            lo = Math.Min(lo, 0);
            hi = Math.Max(hi, 0);
        }
        double? fixedMin = axis.Min is { } a && Usable(a) ? a : null;
        double? fixedMax = axis.Max is { } b && Usable(b) ? b : null;
        lo = fixedMin ?? lo;
        hi = fixedMax ?? hi;
        if (double.IsInfinity(lo) && double.IsInfinity(hi)) (lo, hi) = log ? (1, 10) : (0, 1);
        else if (double.IsInfinity(lo)) lo = hi;
        else if (double.IsInfinity(hi)) hi = lo;
        if (lo > hi) (lo, hi) = (hi, lo);
        return log ? FitLog(lo, hi, fixedMin is null, fixedMax is null, from, to) : FitLinear(lo, hi, fixedMin is null, fixedMax is null, from, to);
    }

    private static AxisMap FitLinear(double lo, double hi, bool roundLow, bool roundHigh, double from, double to)
    {
        // Too narrow to tell apart in doubles (or one value): widen around the middle.
        if (hi - lo <= Math.Max(Math.Abs(lo), Math.Abs(hi)) * 1e-9)
        {
            var half = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            (lo, hi) = (lo - half, hi + half);
        }
        var step = NiceTicks.Step(lo, hi).Value;
        // The tolerance keeps 0.3 (2.9999… steps of 0.1) from rounding out to 0.2; Min/Max keep the data inside after it.
        if (roundLow) lo = Math.Min(lo, Math.Floor(lo / step + 1e-9) * step);
        if (roundHigh) hi = Math.Max(hi, Math.Ceiling(hi / step - 1e-9) * step);
        return new AxisMap(false, lo, hi, NiceTicks.Linear(lo, hi), from, to);
    }

    private static AxisMap FitLog(double lo, double hi, bool roundLow, bool roundHigh, double from, double to)
    {
        if (roundLow) lo = NiceTicks.Power((int)Math.Floor(Math.Log10(lo) + 1e-9));
        if (roundHigh) hi = NiceTicks.Power((int)Math.Ceiling(Math.Log10(hi) - 1e-9));
        if (hi <= lo * (1 + 1e-9)) (lo, hi) = (lo / 10, hi * 10);
        return new AxisMap(true, lo, hi, NiceTicks.Log(lo, hi), from, to);
    }

    /// <summary>Whether <paramref name="value"/> can be placed on this axis at all.</summary>
    public bool Accepts(double value) => double.IsFinite(value) && (!IsLog || value > 0);

    /// <summary>The pixel of <paramref name="value"/>; values outside the domain map outside the pixel range (the plot clips them).</summary>
    public double Map(double value)
    {
        var t = IsLog
            ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (value - Min) / (Max - Min);
        // Far outside values would overflow the viewer's coordinate range; a few plot sizes out is as good as infinity.
        t = Math.Clamp(t, -10, 11);
        return _from + t * (_to - _from);
    }

    public string Label(double tick) => IsLog ? NiceTicks.LogLabel(tick) : NiceTicks.Label(tick, Ticks);

    /// <summary>"Label (unit)", or the label alone when there is no unit.</summary>
    public static string Title(Axis axis) =>
        string.IsNullOrWhiteSpace(axis.Unit) || NamesItsUnit(axis.Label, axis.Unit) ? axis.Label : $"{axis.Label} ({axis.Unit})";

    /// <summary>True when the label already says its unit as a word ("GPUs" counted in GPUs, "fraction of requests"), so "(unit)" would repeat it.</summary>
    private static bool NamesItsUnit(string label, string unit) =>
        label.Split([' ', '-', '/'], StringSplitOptions.RemoveEmptyEntries).Any(word => string.Equals(word, unit, StringComparison.OrdinalIgnoreCase));
}
