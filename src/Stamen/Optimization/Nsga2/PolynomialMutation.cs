using System.Collections.Immutable;

namespace Stamen.Optimization.Nsga2;

/// <summary>
/// Polynomial mutation (Deb and Goyal 1996), bounded form as in Deb's NSGA-II reference code:
/// each variable mutates with probability 1/n by default, by a step whose spread shrinks as the
/// distribution index (20 by default) grows and that never leaves the bounds.
/// </summary>
public sealed class PolynomialMutation : IMutation<ImmutableArray<double>>
{
    private readonly RealBounds _bounds;
    private readonly double _eta;
    private readonly double _probability;

    /// <param name="probability">Per-variable mutation probability; null means 1 / variable count.</param>
    public PolynomialMutation(RealBounds bounds, double distributionIndex = 20, double? probability = null)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        ArgumentOutOfRangeException.ThrowIfNegative(distributionIndex);
        _bounds = bounds;
        _eta = distributionIndex;
        _probability = probability ?? 1.0 / bounds.Count;
        if (!(_probability >= 0 && _probability <= 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Mutation probability must be within [0, 1].");
    }

    public ImmutableArray<double> Mutate(ImmutableArray<double> genome, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var genes = genome.ToArray();
        var power = 1.0 / (_eta + 1.0);
        for (var i = 0; i < genes.Length; i++)
        {
            if (random.NextDouble() > _probability)
                continue;
            var lower = _bounds.Lower[i];
            var upper = _bounds.Upper[i];
            var range = upper - lower;
            if (range <= 0)
                continue;
            var y = genes[i];
            var u = random.NextDouble();
            double deltaQ;
            if (u <= 0.5)
            {
                var xy = 1.0 - ((y - lower) / range);
                var value = (2.0 * u) + ((1.0 - (2.0 * u)) * Math.Pow(xy, _eta + 1.0));
                deltaQ = Math.Pow(value, power) - 1.0;
            }
            else
            {
                var xy = 1.0 - ((upper - y) / range);
                var value = (2.0 * (1.0 - u)) + (2.0 * (u - 0.5) * Math.Pow(xy, _eta + 1.0));
                deltaQ = 1.0 - Math.Pow(value, power);
            }
            genes[i] = Math.Clamp(y + (deltaQ * range), lower, upper);
        }
        return ImmutableArray.Create(genes);
    }
}
