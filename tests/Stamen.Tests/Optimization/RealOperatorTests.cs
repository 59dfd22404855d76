using System.Collections.Immutable;
using Stamen.Optimization.Nsga2;

namespace Stamen.Tests.Optimization;

public class RealOperatorTests
{
    private static RealBounds RandomBounds(Random random, int count)
    {
        var lower = Enumerable.Range(0, count).Select(_ => (random.NextDouble() * 20) - 10).ToArray();
        return new RealBounds(lower, [.. lower.Select(l => l + (random.NextDouble() * 5))]);
    }

    [Fact]
    public void SbxAndPolynomialMutation_RandomParents_ChildrenStayWithinBounds()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var bounds = RandomBounds(random, random.Next(1, 10));
            var sbx = new SbxCrossover(bounds, random.Next(0, 30));
            var mutation = new PolynomialMutation(bounds, random.Next(0, 30), probability: 1);
            var (a, b) = sbx.Cross(bounds.Sample(random), bounds.Sample(random), random);
            foreach (var child in new[] { a, b, mutation.Mutate(a, random) })
            {
                for (var i = 0; i < bounds.Count; i++)
                    Assert.InRange(child[i], bounds.Lower[i], bounds.Upper[i]);
            }
        }
    }

    [Fact]
    public void Sbx_IdenticalParents_ChildrenAreCopies()
    {
        var bounds = RealBounds.Uniform(5, 0, 1);
        var parent = bounds.Sample(new Random(1));
        var (a, b) = new SbxCrossover(bounds).Cross(parent, parent, new Random(2));
        Assert.Equal(parent, a.AsEnumerable());
        Assert.Equal(parent, b.AsEnumerable());
    }

    [Fact]
    public void PolynomialMutation_LargeDistributionIndex_StepsSmallerOnAverage()
    {
        var bounds = RealBounds.Uniform(1, 0, 1);
        double MeanStep(double eta)
        {
            var random = new Random(3);
            var mutation = new PolynomialMutation(bounds, eta, probability: 1);
            return Enumerable.Range(0, 2000).Average(_ => Math.Abs(mutation.Mutate(ImmutableArray.Create(0.5), random)[0] - 0.5));
        }
        Assert.True(MeanStep(100) < MeanStep(20) && MeanStep(20) < MeanStep(1));
    }
}
