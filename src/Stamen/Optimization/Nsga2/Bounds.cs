using System.Collections.Immutable;

namespace Stamen.Optimization.Nsga2;

/// <summary>Per-variable closed intervals [Lower[i], Upper[i]] of a real-coded genome.</summary>
public sealed record RealBounds
{
    public RealBounds(IReadOnlyList<double> lower, IReadOnlyList<double> upper)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        if (lower.Count == 0 || lower.Count != upper.Count)
            throw new ArgumentException("Lower and upper bounds need the same, non-zero length.", nameof(upper));
        for (var i = 0; i < lower.Count; i++)
        {
            if (!double.IsFinite(lower[i]) || !double.IsFinite(upper[i]) || lower[i] > upper[i])
                throw new ArgumentException($"Variable {i}: bounds [{lower[i]}, {upper[i]}] are not a finite interval.", nameof(upper));
        }
        Lower = [.. lower];
        Upper = [.. upper];
    }

    public ImmutableArray<double> Lower { get; }

    public ImmutableArray<double> Upper { get; }

    public int Count => Lower.Length;

    /// <summary><paramref name="count"/> variables sharing one interval.</summary>
    public static RealBounds Uniform(int count, double lower, double upper) =>
        new(Enumerable.Repeat(lower, count).ToArray(), Enumerable.Repeat(upper, count).ToArray());

    /// <summary>A genome drawn uniformly from the box.</summary>
    public ImmutableArray<double> Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var genes = new double[Count];
        for (var i = 0; i < genes.Length; i++)
            genes[i] = Lower[i] + (random.NextDouble() * (Upper[i] - Lower[i]));
        return ImmutableArray.Create(genes);
    }
}

/// <summary>Per-gene inclusive integer ranges [Lower[i], Upper[i]] of an integer genome.</summary>
public sealed record IntegerBounds
{
    public IntegerBounds(IReadOnlyList<int> lower, IReadOnlyList<int> upper)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        if (lower.Count == 0 || lower.Count != upper.Count)
            throw new ArgumentException("Lower and upper bounds need the same, non-zero length.", nameof(upper));
        for (var i = 0; i < lower.Count; i++)
        {
            if (lower[i] > upper[i])
                throw new ArgumentException($"Gene {i}: bounds [{lower[i]}, {upper[i]}] are empty.", nameof(upper));
        }
        Lower = [.. lower];
        Upper = [.. upper];
    }

    public ImmutableArray<int> Lower { get; }

    public ImmutableArray<int> Upper { get; }

    public int Count => Lower.Length;

    /// <summary><paramref name="count"/> genes sharing one range.</summary>
    public static IntegerBounds Uniform(int count, int lower, int upper) =>
        new(Enumerable.Repeat(lower, count).ToArray(), Enumerable.Repeat(upper, count).ToArray());

    /// <summary>A uniformly random value for gene <paramref name="gene"/>.</summary>
    public int SampleGene(int gene, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return (int)(Lower[gene] + random.NextInt64((long)Upper[gene] - Lower[gene] + 1));
    }

    /// <summary>A genome drawn uniformly from the ranges.</summary>
    public ImmutableArray<int> Sample(Random random)
    {
        var genes = new int[Count];
        for (var i = 0; i < genes.Length; i++)
            genes[i] = SampleGene(i, random);
        return ImmutableArray.Create(genes);
    }
}
