using System.Globalization;

namespace Stamen.Optimization.Milp;

/// <summary>The integers an integer variable may take: its bounds rounded inwards.</summary>
internal readonly record struct IntegerRange(long Low, long High)
{
    /// <summary>Largest |value| in the range.</summary>
    public double Magnitude => Math.Max(Math.Abs((double)Low), Math.Abs((double)High));
}

/// <summary>
/// A row made integral for CP-SAT: <c>sum Coefficients[i] * x[Variables[i]] &lt;= RightHandSide</c>
/// (or <c>==</c> when <see cref="IsEquality"/>); a <c>&gt;=</c> row is negated into a <c>&lt;=</c> one.
/// </summary>
/// <param name="Exponent">The row was multiplied by 10^Exponent.</param>
/// <param name="Rounded">
/// False: the integer row has the same integer points as the original. True: it was rounded
/// conservatively, so each of its integer points is one of the original's, not the reverse.
/// </param>
internal sealed record CpSatRow(string Name, int[] Variables, long[] Coefficients, bool IsEquality, long RightHandSide, int Exponent, bool Rounded);

/// <summary>
/// The objective made integral for CP-SAT: CP-SAT optimises <c>sum Coefficients[i] * x[Variables[i]]</c>,
/// which is 10^Exponent times the original objective (constant aside) when not <see cref="Rounded"/>.
/// </summary>
/// <param name="MaxError">
/// Largest possible |10^Exponent * original - integer objective| over the variables' ranges (0 when
/// exact): sum over terms of |rounding error of the coefficient| x largest |value|.
/// </param>
internal sealed record CpSatObjective(int[] Variables, long[] Coefficients, int Exponent, bool Rounded, double MaxError)
{
    /// <summary>A bound on the integer objective, turned into a valid bound on the original objective (constant excluded).</summary>
    public double OriginalBound(double integerBound, ObjectiveSense sense) =>
        CpSatScaling.Unscale(sense == ObjectiveSense.Minimize ? integerBound - MaxError : integerBound + MaxError, Exponent);
}

/// <summary>
/// CP-SAT takes integer coefficients only. A row or objective whose coefficients are decimals
/// (0.25, 1.5) is multiplied by the smallest power of ten that makes them whole, which changes
/// nothing; one that no power up to 10^9 makes whole (1/3) is rounded so that it can only lose
/// feasible points, never gain any, and the result says so (<see cref="CpSatMilpSolver"/>).
/// </summary>
internal static class CpSatScaling
{
    /// <summary>Exact scaling tries 10^0 .. 10^MaxExactExponent.</summary>
    internal const int MaxExactExponent = 9;

    /// <summary>
    /// A scaled value within this of a whole number counts as whole: at scale 10^k a coefficient
    /// then moves by at most 1e-9 / 10^k. (1/3 at 10^9 is 0.33 off, so it is never whole.)
    /// </summary>
    internal const double IntegralTolerance = 1e-9;

    /// <summary>Floating-point noise on large scaled values (0.3 * 10 is 3.0000000000000004) is forgiven relative to them.</summary>
    private const double RelativeNoise = 1e-12;

    /// <summary>Rounded rows keep about nine significant digits: the largest scaled coefficient is at most this.</summary>
    private const double RoundedRowPrecision = 1e9;

    /// <summary>Exponents tried when rounding, largest first; negative ones shrink huge coefficients.</summary>
    private const int MinExponent = -9;

    /// <summary>
    /// A row's largest possible |activity| (plus |rhs|) stays below this, so that CP-SAT's own
    /// overflow check (64-bit sums over the variables' domains) passes with room to spare.
    /// </summary>
    private const double RowLimit = 4.6e18; // about 2^62

    /// <summary>The objective stays exactly representable as a double (below 2^53) over the variables' ranges.</summary>
    private const double ObjectiveLimit = 9.007e15; // 2^53

    private static readonly double[] PowersOfTen = [.. Enumerable.Range(0, 19).Select(k => Math.Pow(10, k))];

    /// <summary>x times 10^k, computed so that 10^-k is a division by an exact power of ten.</summary>
    internal static double Scale(double x, int k) => k >= 0 ? x * PowersOfTen[k] : x / PowersOfTen[-k];

    /// <summary>x divided by 10^k.</summary>
    internal static double Unscale(double x, int k) => k >= 0 ? x / PowersOfTen[k] : x * PowersOfTen[-k];

    internal static bool IsWhole(double x) => Math.Abs(x - Math.Round(x)) <= Math.Max(IntegralTolerance, RelativeNoise * Math.Abs(x));

    /// <summary>"1e6", "1e-3", "1".</summary>
    internal static string PowerText(int k) => k == 0 ? "1" : string.Create(CultureInfo.InvariantCulture, $"1e{k}");

    /// <summary>
    /// The integer form of <paramref name="row"/>, or null when the row can never be violated
    /// within the variables' ranges (dropped: nothing to round).
    /// </summary>
    /// <exception cref="StamenInputException">The row needs rounding but is an equality, or is too large for 64-bit integers.</exception>
    internal static CpSatRow? Row(MilpConstraint row, IReadOnlyList<IntegerRange> ranges)
    {
        double sign = row.Sense == ConstraintSense.GreaterOrEqual ? -1 : 1;
        var variables = row.Terms.Select(t => t.Variable.Index).ToArray();
        var a = row.Terms.Select(t => sign * t.Coefficient).ToArray();
        double b = sign * row.RightHandSide;
        bool equality = row.Sense == ConstraintSense.Equal;

        if (!equality && MaxActivity(variables, a, ranges) <= b)
        {
            return null;
        }

        bool wholeCoefficients = false;
        for (int k = 0; k <= MaxExactExponent; k++)
        {
            var scaled = a.Select(x => Scale(x, k)).ToArray();
            if (!scaled.All(IsWhole))
            {
                continue;
            }

            // With whole coefficients the left side is whole at every integer point, so a "<=" row
            // may floor its right side without losing any point; an equality needs it whole.
            wholeCoefficients = true;
            double rhs = Scale(b, k);
            if (equality && !IsWhole(rhs))
            {
                continue;
            }

            var c = scaled.Select(x => Math.Round(x)).ToArray();
            double d = IsWhole(rhs) ? Math.Round(rhs) : Math.Floor(rhs);
            if (!FitsRow(variables, c, d, ranges))
            {
                break; // a larger power only makes the numbers larger
            }

            return new CpSatRow(row.Name, variables, [.. c.Select(x => (long)x)], equality, (long)d, k, Rounded: false);
        }

        if (equality && wholeCoefficients && !IsWhole(Scale(b, MaxExactExponent)))
        {
            // Whole coefficients, a right side with more than nine decimals: no integer point meets
            // it, and the empty equality 0 == 1 says exactly that.
            return new CpSatRow(row.Name, [], [], IsEquality: true, 1, 0, Rounded: false);
        }

        if (equality)
        {
            throw new StamenInputException("(model)", "cp-sat",
                $"row '{row.Name}' is an equality whose coefficients no power of ten up to 1e{MaxExactExponent} makes whole within 64-bit integers, and rounding an equality would change its solutions",
                "use scip or cbc, or write the row with decimal coefficients");
        }

        for (int k = MaxExactExponent; k >= MinExponent; k--)
        {
            if (a.Max(x => Math.Abs(Scale(x, k))) > RoundedRowPrecision)
            {
                continue;
            }

            var (c, d) = RoundConservatively(variables, a, b, k, ranges);
            if (FitsRow(variables, c, d, ranges))
            {
                return new CpSatRow(row.Name, variables, [.. c.Select(x => (long)x)], IsEquality: false, (long)d, k, Rounded: true);
            }
        }

        throw new StamenInputException("(model)", "cp-sat",
            $"row '{row.Name}' is too large for CP-SAT's 64-bit integers at any scale (its coefficients times its variables' ranges)",
            "tighten the variables' bounds, or use scip or cbc");
    }

    /// <summary>
    /// Integer c and d with every integer x in the ranges satisfying <c>c x &lt;= d</c> also
    /// satisfying <c>s a x &lt;= s b</c> (s = 10^k). Write s a_i = c_i + e_i; then
    /// s a x = c x + e x &lt;= d + max over the ranges of e x, so d = floor(s b - max e x) works,
    /// and max e x is the sum over terms of max(e_i lo_i, e_i hi_i). Rounding c_i up for a
    /// variable that is never negative (down for one never positive) makes each e_i x_i &lt;= 0,
    /// so those terms cost the right side nothing; a variable of both signs is rounded to nearest.
    /// </summary>
    private static (double[] C, double D) RoundConservatively(int[] variables, double[] a, double b, int k, IReadOnlyList<IntegerRange> ranges)
    {
        var c = new double[a.Length];
        double worstError = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double scaled = Scale(a[i], k);
            var range = ranges[variables[i]];
            c[i] = IsWhole(scaled) ? Math.Round(scaled)
                : range.Low >= 0 ? Math.Ceiling(scaled)
                : range.High <= 0 ? Math.Floor(scaled)
                : Math.Round(scaled);
            double e = scaled - c[i];
            worstError += Math.Max(e * range.Low, e * range.High);
        }

        double limit = Scale(b, k) - worstError;
        return (c, IsWhole(limit) ? Math.Round(limit) : Math.Floor(limit));
    }

    /// <summary>
    /// The integer objective: exact at the smallest power of ten that makes every coefficient
    /// whole, else rounded to nearest at the largest power (up to 10^9) that keeps it below 2^53.
    /// </summary>
    /// <exception cref="StamenInputException">The objective is too large for CP-SAT at any scale.</exception>
    internal static CpSatObjective Objective(IReadOnlyList<MilpTerm> terms, IReadOnlyList<IntegerRange> ranges)
    {
        var variables = terms.Select(t => t.Variable.Index).ToArray();
        var a = terms.Select(t => t.Coefficient).ToArray();
        for (int k = 0; k <= MaxExactExponent; k++)
        {
            var scaled = a.Select(x => Scale(x, k)).ToArray();
            if (!scaled.All(IsWhole))
            {
                continue;
            }

            var c = scaled.Select(x => Math.Round(x)).ToArray();
            if (Magnitude(variables, c, ranges) >= ObjectiveLimit)
            {
                break;
            }

            return new CpSatObjective(variables, [.. c.Select(x => (long)x)], k, Rounded: false, MaxError: 0);
        }

        for (int k = MaxExactExponent; k >= MinExponent; k--)
        {
            var scaled = a.Select(x => Scale(x, k)).ToArray();
            var c = scaled.Select(x => Math.Round(x)).ToArray();
            if (Magnitude(variables, c, ranges) < ObjectiveLimit)
            {
                double error = scaled.Select((x, i) => Math.Abs(x - c[i]) * ranges[variables[i]].Magnitude).Sum();
                return new CpSatObjective(variables, [.. c.Select(x => (long)x)], k, Rounded: true, error);
            }
        }

        throw new StamenInputException("(model)", "cp-sat",
            "the objective is too large for CP-SAT's integers at any scale (its coefficients times its variables' ranges)",
            "tighten the variables' bounds, or use scip or cbc");
    }

    private static double MaxActivity(int[] variables, double[] a, IReadOnlyList<IntegerRange> ranges) =>
        a.Select((x, i) => Math.Max(x * ranges[variables[i]].Low, x * ranges[variables[i]].High)).Sum();

    private static double Magnitude(int[] variables, double[] c, IReadOnlyList<IntegerRange> ranges) =>
        c.Select((x, i) => Math.Abs(x) * ranges[variables[i]].Magnitude).Sum();

    private static bool FitsRow(int[] variables, double[] c, double d, IReadOnlyList<IntegerRange> ranges) =>
        Magnitude(variables, c, ranges) + Math.Abs(d) < RowLimit;
}
