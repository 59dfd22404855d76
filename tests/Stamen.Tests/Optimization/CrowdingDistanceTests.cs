using Stamen.Optimization.Nsga2;

namespace Stamen.Tests.Optimization;

public class CrowdingDistanceTests
{
    [Fact]
    public void Compute_HandExample_BoundariesInfiniteInteriorSumOfNormalisedGaps()
    {
        // f1 spans 0..4, f2 spans 1..5; given out of order to exercise the per-objective sort.
        Evaluation[] points = [new([3, 1.5]), new([0, 5]), new([4, 1]), new([1, 4])];
        var distance = CrowdingDistance.Compute(points, [0, 1, 2, 3]);

        Assert.Equal(((4.0 - 1) / 4) + ((4 - 1.0) / 4), distance[0], 12);
        Assert.Equal(double.PositiveInfinity, distance[1]);
        Assert.Equal(double.PositiveInfinity, distance[2]);
        Assert.Equal(((3.0 - 0) / 4) + ((5 - 1.5) / 4), distance[3], 12);
    }

    [Fact]
    public void Compute_SubsetOfPopulation_OnlyThatFrontIsMeasured()
    {
        // Point 1 lies outside the measured front and must not shrink the ranges.
        Evaluation[] points = [new([0, 2]), new([100, 100]), new([1, 1]), new([2, 0])];
        var distance = CrowdingDistance.Compute(points, [0, 2, 3]);
        Assert.Equal((2.0 / 2) + (2.0 / 2), distance[1], 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Compute_OneOrTwoPoints_AllInfinite(int count)
    {
        var points = Enumerable.Range(0, count).Select(i => new Evaluation([i, -i])).ToArray();
        Assert.All(CrowdingDistance.Compute(points, [.. Enumerable.Range(0, count)]), d => Assert.Equal(double.PositiveInfinity, d));
    }

    [Fact]
    public void Compute_ConstantObjective_AddsNothingToInteriorPoints()
    {
        Evaluation[] points = [new([0, 7]), new([1, 7]), new([3, 7]), new([4, 7])];
        var distance = CrowdingDistance.Compute(points, [0, 1, 2, 3]);
        Assert.Equal(3.0 / 4, distance[1], 12);
        Assert.Equal(3.0 / 4, distance[2], 12);
    }
}
