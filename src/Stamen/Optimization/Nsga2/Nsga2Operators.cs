using System.Collections.Immutable;

namespace Stamen.Optimization.Nsga2;

/// <summary>The variation operators of one run: crossover, mutation and an optional repair.</summary>
/// <param name="Repair">Applied to every initial and every new genome before evaluation; null = none.</param>
public sealed record Nsga2Operators<TGenome>(
    ICrossover<TGenome> Crossover,
    IMutation<TGenome> Mutation,
    IRepair<TGenome>? Repair = null);

/// <summary>The standard operator sets of reference section 2.</summary>
public static class Nsga2Operators
{
    /// <summary>SBX (index 20) and polynomial mutation (index 20, probability 1/n) within <paramref name="bounds"/>.</summary>
    public static Nsga2Operators<ImmutableArray<double>> RealCoded(
        RealBounds bounds, double crossoverDistributionIndex = 20, double mutationDistributionIndex = 20) =>
        new(new SbxCrossover(bounds, crossoverDistributionIndex), new PolynomialMutation(bounds, mutationDistributionIndex));

    /// <summary>Uniform crossover and random-reset mutation (probability 1/n), then <paramref name="repair"/> if given.</summary>
    public static Nsga2Operators<ImmutableArray<int>> IntegerCoded(IntegerBounds bounds, IRepair<ImmutableArray<int>>? repair = null) =>
        new(new UniformCrossover(), new RandomResetMutation(bounds), repair);
}
