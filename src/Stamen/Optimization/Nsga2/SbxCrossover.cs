using System.Collections.Immutable;

namespace Stamen.Optimization.Nsga2;

/// <summary>
/// Simulated binary crossover (Deb and Agrawal 1995), bounded form as in Deb's NSGA-II reference
/// code: each variable is recombined with probability 0.5 (when the parents differ by more than
/// 1e-14), the spread factor accounts for the distance to the bounds, children are clipped to the
/// bounds and swapped with probability 0.5. Distribution index 20 by default (larger = children
/// closer to the parents).
/// </summary>
public sealed class SbxCrossover : ICrossover<ImmutableArray<double>>
{
    private const double MinimumGap = 1e-14;
    private const double VariableProbability = 0.5;
    private readonly RealBounds _bounds;
    private readonly double _eta;

    public SbxCrossover(RealBounds bounds, double distributionIndex = 20)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        ArgumentOutOfRangeException.ThrowIfNegative(distributionIndex);
        _bounds = bounds;
        _eta = distributionIndex;
    }

    public (ImmutableArray<double> First, ImmutableArray<double> Second) Cross(
        ImmutableArray<double> first, ImmutableArray<double> second, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var a = first.ToArray();
        var b = second.ToArray();
        for (var i = 0; i < a.Length; i++)
        {
            if (random.NextDouble() > VariableProbability || Math.Abs(a[i] - b[i]) <= MinimumGap)
                continue;
            var y1 = Math.Min(a[i], b[i]);
            var y2 = Math.Max(a[i], b[i]);
            var lower = _bounds.Lower[i];
            var upper = _bounds.Upper[i];
            var u = random.NextDouble();
            var c1 = 0.5 * ((y1 + y2) - (SpreadFactor(1.0 + (2.0 * (y1 - lower) / (y2 - y1)), u) * (y2 - y1)));
            var c2 = 0.5 * ((y1 + y2) + (SpreadFactor(1.0 + (2.0 * (upper - y2) / (y2 - y1)), u) * (y2 - y1)));
            c1 = Math.Clamp(c1, lower, upper);
            c2 = Math.Clamp(c2, lower, upper);
            if (random.NextDouble() <= 0.5)
                (c1, c2) = (c2, c1);
            a[i] = c1;
            b[i] = c2;
        }
        return (ImmutableArray.Create(a), ImmutableArray.Create(b));
    }

    /// <summary>beta_q for uniform draw <paramref name="u"/>, with the bounded-distribution mass alpha.</summary>
    private double SpreadFactor(double beta, double u)
    {
        var alpha = 2.0 - Math.Pow(beta, -(_eta + 1.0));
        return u <= 1.0 / alpha
            ? Math.Pow(u * alpha, 1.0 / (_eta + 1.0))
            : Math.Pow(1.0 / (2.0 - (u * alpha)), 1.0 / (_eta + 1.0));
    }
}
