namespace Stamen.Optimization.Nsga2;

/// <summary>
/// NSGA-II (Deb, Pratap, Agarwal and Meyarivan, IEEE TEC 6(2), 2002): a random initial population
/// of mu, then per generation lambda = mu offspring from binary crowded tournaments, crossover
/// with <see cref="Nsga2Options.CrossoverProbability"/>, mutation and optional repair, and elitist
/// survival of the best mu of parents plus offspring by (constrained) non-dominated rank and
/// crowding distance. Every random draw comes from one <c>new Random(Seed)</c>, in a fixed order,
/// so a seed always yields the same result. With an odd population size the last pair's second
/// child is discarded.
/// </summary>
public sealed class Nsga2<TGenome>
{
    private readonly INsga2Problem<TGenome> _problem;
    private readonly Nsga2Operators<TGenome> _operators;
    private readonly Nsga2Options _options;

    public Nsga2(INsga2Problem<TGenome> problem, Nsga2Operators<TGenome> operators, Nsga2Options options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(operators);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (problem.ObjectiveCount < 1)
            throw new ArgumentException("The problem needs at least one objective.", nameof(problem));
        _problem = problem;
        _operators = operators;
        _options = options;
    }

    public Nsga2Result<TGenome> Run()
    {
        var random = new Random(_options.Seed);
        var size = _options.PopulationSize;
        var genomes = new List<TGenome>(size);
        var evaluations = new List<Evaluation>(size);
        for (var i = 0; i < size; i++)
            Add(genomes, evaluations, _problem.Random(random));
        var population = RankedPopulation.Select(evaluations, size);

        for (var generation = 0; generation < _options.Generations; generation++)
        {
            // Parents keep their positions 0..mu-1; offspring follow, so the combined list is mu + lambda.
            var combinedGenomes = population.Members.Select(m => genomes[m]).ToList();
            var combinedEvaluations = population.Members.Select(m => evaluations[m]).ToList();
            while (combinedGenomes.Count < 2 * size)
            {
                var first = combinedGenomes[population.Tournament(random)];
                var second = combinedGenomes[population.Tournament(random)];
                var children = random.NextDouble() < _options.CrossoverProbability
                    ? _operators.Crossover.Cross(first, second, random)
                    : (First: first, Second: second);
                Add(combinedGenomes, combinedEvaluations, _operators.Mutation.Mutate(children.First, random));
                if (combinedGenomes.Count < 2 * size)
                    Add(combinedGenomes, combinedEvaluations, _operators.Mutation.Mutate(children.Second, random));
            }
            genomes = combinedGenomes;
            evaluations = combinedEvaluations;
            population = RankedPopulation.Select(evaluations, size);
        }
        return Result(genomes, evaluations, population);
    }

    private void Add(List<TGenome> genomes, List<Evaluation> evaluations, TGenome genome)
    {
        if (_operators.Repair is { } repair)
            genome = repair.Repair(genome);
        var evaluation = _problem.Evaluate(genome);
        if (evaluation.Objectives.Count != _problem.ObjectiveCount)
            throw new InvalidOperationException(
                $"The problem declared {_problem.ObjectiveCount} objectives but evaluated {evaluation.Objectives.Count}.");
        genomes.Add(genome);
        evaluations.Add(evaluation);
    }

    private static Nsga2Result<TGenome> Result(List<TGenome> genomes, List<Evaluation> evaluations, RankedPopulation population)
    {
        var members = population.Members
            .Select((m, i) => new Nsga2Individual<TGenome>(genomes[m], evaluations[m], population.Ranks[i], population.Crowding[i]))
            .ToList();
        return new Nsga2Result<TGenome>(members, [.. members.Where(m => m.Rank == 0)]);
    }
}
