using System.Collections.Immutable;
using Stamen.Optimization;
using Stamen.Optimization.Nsga2;
using Xunit.Abstractions;

namespace Stamen.Tests.Optimization;

public class Nsga2ZdtTests(ITestOutputHelper output)
{
    private const int Variables = 30;
    private static readonly (double F1, double F2) Reference = (1.1, 1.1);

    public static TheoryData<string> Problems => ["ZDT1", "ZDT2"];

    private static Zdt Problem(string name) => name == "ZDT1" ? Zdt.Zdt1(Variables) : Zdt.Zdt2(Variables);

    private static Nsga2Result<ImmutableArray<double>> Run(Zdt problem, int seed, int generations = 250) =>
        new Nsga2<ImmutableArray<double>>(problem, Nsga2Operators.RealCoded(problem.Bounds), new Nsga2Options(100, generations, seed)).Run();

    private static double Hypervolume(Nsga2Result<ImmutableArray<double>> result) =>
        Hypervolume2D.Compute(result.FirstFront.Select(m => (m.Evaluation.Objectives[0], m.Evaluation.Objectives[1])), Reference);

    /// <summary>
    /// Hypervolume of the true front f2 = h(f1), f1 in [0, 1], by the midpoint rule: the strip
    /// above the curve for f1 in [0, 1] plus the box beyond the extreme point (1, h(1)).
    /// </summary>
    private static double TrueHypervolume(Func<double, double> h)
    {
        const int steps = 200_000;
        var area = 0.0;
        for (var i = 0; i < steps; i++)
            area += (Reference.F2 - h((i + 0.5) / steps)) / steps;
        return area + ((Reference.F1 - 1) * (Reference.F2 - h(1)));
    }

    [Theory]
    [MemberData(nameof(Problems))]
    public void Run_Zdt_FrontHypervolumeWithinTwoPercentOfTrueFront(string name)
    {
        var problem = Problem(name);
        var result = Run(problem, seed: 1);
        var found = Hypervolume(result);
        var truth = TrueHypervolume(problem.TrueFront);
        output.WriteLine($"{name}: hypervolume {found:F5} of true {truth:F5} ({found / truth:P2}), front size {result.FirstFront.Count}");

        Assert.Equal(100, result.Population.Count);
        Assert.InRange(found, 0.98 * truth, truth + 1e-9);
    }

    [Theory]
    [MemberData(nameof(Problems))]
    public void Run_Zdt_FrontMembersMutuallyNonDominatedAndWithinBounds(string name)
    {
        var result = Run(Problem(name), seed: 2, generations: 60);
        var front = result.FirstFront;
        Assert.NotEmpty(front);
        foreach (var a in front)
        {
            Assert.All(a.Genome, x => Assert.InRange(x, 0, 1));
            Assert.DoesNotContain(front, b => ConstrainedDomination.Dominates(b.Evaluation, a.Evaluation));
        }
        // Every member outside the first front is dominated by some first-front member.
        foreach (var m in result.Population.Where(m => m.Rank > 0))
            Assert.Contains(front, f => ConstrainedDomination.Dominates(f.Evaluation, m.Evaluation));
    }

    [Fact]
    public void Run_SameSeed_IdenticalFrontDifferentSeed_DifferentFront()
    {
        var problem = Zdt.Zdt1(Variables);
        static List<double[]> Genomes(Nsga2Result<ImmutableArray<double>> r) => [.. r.FirstFront.Select(m => m.Genome.ToArray())];

        var first = Genomes(Run(problem, seed: 7, generations: 30));
        var again = Genomes(Run(problem, seed: 7, generations: 30));
        var other = Genomes(Run(problem, seed: 8, generations: 30));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void TrueHypervolume_Zdt1_MatchesClosedForm()
    {
        // Integral of 1.1 - (1 - sqrt x) over [0, 1] is 0.1 + 2/3; the box beyond (1, 0) is 0.1 * 1.1.
        Assert.Equal(0.1 + (2.0 / 3) + (0.1 * 1.1), TrueHypervolume(Zdt.Zdt1(Variables).TrueFront), 6);
    }
}
