using System.Collections.Immutable;
using Stamen.Optimization.Nsga2;

namespace Stamen.Tests.Optimization;

public class Nsga2IntegerTests
{
    /// <summary>
    /// Six tasks onto three machines: minimise makespan (machine m runs task t in
    /// Durations[t] * Slowness[m]) and total cost (Costs[t, m]). Machine 2 may take at most two
    /// tasks; each extra task adds 1 to the violation. 3^6 = 729 assignments, enumerable.
    /// </summary>
    private sealed class Assignment : INsga2Problem<ImmutableArray<int>>
    {
        private static readonly double[] Durations = [4, 3, 7, 2, 5, 6];
        private static readonly double[] Slowness = [1.0, 1.5, 0.5];
        private static readonly double[,] Costs = { { 1, 3, 8 }, { 2, 2, 6 }, { 3, 1, 9 }, { 1, 1, 4 }, { 2, 4, 7 }, { 3, 2, 8 } };

        public const int Tasks = 6;
        public const int Machines = 3;

        public IntegerBounds Bounds { get; } = IntegerBounds.Uniform(Tasks, 0, Machines - 1);

        public int ObjectiveCount => 2;

        public ImmutableArray<int> Random(Random random) => Bounds.Sample(random);

        public Evaluation Evaluate(ImmutableArray<int> genome)
        {
            var load = new double[Machines];
            var cost = 0.0;
            for (var t = 0; t < Tasks; t++)
            {
                load[genome[t]] += Durations[t] * Slowness[genome[t]];
                cost += Costs[t, genome[t]];
            }
            return new Evaluation([load.Max(), cost], Math.Max(0, genome.Count(m => m == 2) - 2));
        }

        public static IEnumerable<ImmutableArray<int>> All() =>
            Enumerable.Range(0, (int)Math.Pow(Machines, Tasks)).Select(code =>
                ImmutableArray.CreateRange(Enumerable.Range(0, Tasks).Select(t => code / (int)Math.Pow(Machines, t) % Machines)));
    }

    /// <summary>Pins task 0 to machine 0, whatever the operators produced.</summary>
    private sealed class PinFirstTask : IRepair<ImmutableArray<int>>
    {
        public ImmutableArray<int> Repair(ImmutableArray<int> genome) => genome.SetItem(0, 0);
    }

    private static List<(double, double)> ParetoObjectives(IEnumerable<Evaluation> evaluations)
    {
        var all = evaluations.ToList();
        return [.. all.Where(e => e.IsFeasible && !all.Any(o => ConstrainedDomination.Dominates(o, e)))
            .Select(e => (e.Objectives[0], e.Objectives[1])).Distinct().Order()];
    }

    private static List<(double, double)> FrontObjectives(Nsga2Result<ImmutableArray<int>> result) =>
        [.. result.FirstFront.Select(m => (m.Evaluation.Objectives[0], m.Evaluation.Objectives[1])).Distinct().Order()];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Run_Assignment_FrontEqualsBruteForceParetoFront(int seed)
    {
        var problem = new Assignment();
        var truth = ParetoObjectives(Assignment.All().Select(problem.Evaluate));
        var result = new Nsga2<ImmutableArray<int>>(problem, Nsga2Operators.IntegerCoded(problem.Bounds), new Nsga2Options(40, 80, seed)).Run();

        Assert.All(result.FirstFront, m => Assert.True(m.Evaluation.IsFeasible));
        Assert.Equal(truth, FrontObjectives(result));
    }

    [Fact]
    public void Run_WithRepair_EveryGenomeRepairedAndFrontEqualsRestrictedBruteForce()
    {
        var problem = new Assignment();
        var truth = ParetoObjectives(Assignment.All().Where(g => g[0] == 0).Select(problem.Evaluate));
        var operators = Nsga2Operators.IntegerCoded(problem.Bounds, new PinFirstTask());
        var result = new Nsga2<ImmutableArray<int>>(problem, operators, new Nsga2Options(40, 80, 5)).Run();

        Assert.All(result.Population, m => Assert.Equal(0, m.Genome[0]));
        Assert.Equal(truth, FrontObjectives(result));
    }

    [Fact]
    public void Run_OddPopulationAndNoGenerations_ReturnsRankedInitialPopulation()
    {
        var problem = new Assignment();
        var result = new Nsga2<ImmutableArray<int>>(problem, Nsga2Operators.IntegerCoded(problem.Bounds), new Nsga2Options(7, 0, 3)).Run();
        Assert.Equal(7, result.Population.Count);
        Assert.Equal(ParetoObjectives(result.Population.Select(m => m.Evaluation)).Count > 0, result.FirstFront.Count > 0);
    }

    [Fact]
    public void Options_SeveralInvalidSettings_OneMessageNamesEach()
    {
        var error = Assert.Throws<ArgumentException>(() => new Nsga2Options(1, -1, 0, 1.5).Validate());
        Assert.Contains("PopulationSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("Generations", error.Message, StringComparison.Ordinal);
        Assert.Contains("CrossoverProbability", error.Message, StringComparison.Ordinal);
    }
}
