using System.Collections.Immutable;

namespace Stamen.Optimization.Nsga2;

/// <summary>Uniform crossover: each gene position is swapped between the children with probability 0.5.</summary>
public sealed class UniformCrossover : ICrossover<ImmutableArray<int>>
{
    public (ImmutableArray<int> First, ImmutableArray<int> Second) Cross(
        ImmutableArray<int> first, ImmutableArray<int> second, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var a = first.ToArray();
        var b = second.ToArray();
        for (var i = 0; i < a.Length; i++)
        {
            if (random.NextDouble() < 0.5)
                (a[i], b[i]) = (b[i], a[i]);
        }
        return (ImmutableArray.Create(a), ImmutableArray.Create(b));
    }
}

/// <summary>
/// Random-reset mutation: each gene is redrawn uniformly from its range with probability 1/n by
/// default (the redraw may return the same value).
/// </summary>
public sealed class RandomResetMutation : IMutation<ImmutableArray<int>>
{
    private readonly IntegerBounds _bounds;
    private readonly double _probability;

    /// <param name="probability">Per-gene reset probability; null means 1 / gene count.</param>
    public RandomResetMutation(IntegerBounds bounds, double? probability = null)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        _bounds = bounds;
        _probability = probability ?? 1.0 / bounds.Count;
        if (!(_probability >= 0 && _probability <= 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Mutation probability must be within [0, 1].");
    }

    public ImmutableArray<int> Mutate(ImmutableArray<int> genome, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var genes = genome.ToArray();
        for (var i = 0; i < genes.Length; i++)
        {
            if (random.NextDouble() < _probability)
                genes[i] = _bounds.SampleGene(i, random);
        }
        return ImmutableArray.Create(genes);
    }
}
