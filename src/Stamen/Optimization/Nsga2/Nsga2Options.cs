namespace Stamen.Optimization.Nsga2;

/// <summary>
/// Settings of one NSGA-II run. Defaults follow Deb et al. (2002): population 100, crossover
/// probability 0.9 (the per-pair chance of applying the crossover operator; otherwise the
/// children are copies of the parents). Mutation rate and distribution indices belong to the
/// operators (<see cref="Nsga2Operators"/>), since they only mean something for one encoding.
/// </summary>
/// <param name="PopulationSize">mu = lambda; each generation makes this many offspring.</param>
/// <param name="Generations">Offspring generations after the random initial population.</param>
/// <param name="Seed">Seed of the run's single <see cref="Random"/>; same seed, same result.</param>
/// <param name="CrossoverProbability">Chance that a selected pair is recombined.</param>
public sealed record Nsga2Options(
    int PopulationSize = 100,
    int Generations = 250,
    int Seed = 0,
    double CrossoverProbability = 0.9)
{
    public static Nsga2Options Default { get; } = new();

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (PopulationSize < 2)
            errors.Add($"PopulationSize must be at least 2 (got {PopulationSize}).");
        if (Generations < 0)
            errors.Add($"Generations must be >= 0 (got {Generations}).");
        if (!(CrossoverProbability >= 0 && CrossoverProbability <= 1))
            errors.Add($"CrossoverProbability must be within [0, 1] (got {CrossoverProbability}).");
        if (errors.Count > 0)
            throw new ArgumentException("Invalid NSGA-II options: " + string.Join(" ", errors));
    }
}
