namespace Stamen.Workload;

/// <summary>A distribution of token counts (prompt or output lengths).</summary>
public abstract record TokenCountDistribution
{
    public abstract int Sample(Random random);

    /// <summary>Mean of the distribution, used to size plans for the typical request.</summary>
    public abstract double Mean { get; }

    /// <summary>Largest value it can produce, used to size caches conservatively.</summary>
    public abstract int Max { get; }
}

/// <summary>Always <see cref="Tokens"/>.</summary>
public sealed record FixedTokenCount(int Tokens) : TokenCountDistribution
{
    public override int Sample(Random random) => Tokens;
    public override double Mean => Tokens;
    public override int Max => Tokens;
}

/// <summary>Uniform over the integers [Min, Max].</summary>
public sealed record UniformTokenCount(int MinTokens, int MaxTokens) : TokenCountDistribution
{
    public override int Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.Next(MinTokens, MaxTokens + 1);
    }

    public override double Mean => (MinTokens + MaxTokens) / 2.0;
    public override int Max => MaxTokens;
}

/// <summary>One of <see cref="Choices"/>, equally likely.</summary>
public sealed record ChoiceTokenCount(IReadOnlyList<int> Choices) : TokenCountDistribution
{
    public override int Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Choices[random.Next(Choices.Count)];
    }

    public override double Mean => Choices.Average();
    public override int Max => Choices.Max();
}
