using Stamen.Optimization;

namespace Stamen.Tests.Optimization;

public class Hypervolume2DTests
{
    /// <summary>Area of the union of boxes [f1, r1] x [f2, r2] on the grid of all coordinates.</summary>
    private static double BruteForce(List<(double F1, double F2)> points, (double F1, double F2) r)
    {
        var xs = points.Select(p => p.F1).Append(r.F1).Where(x => x <= r.F1).Distinct().Order().ToList();
        var ys = points.Select(p => p.F2).Append(r.F2).Where(y => y <= r.F2).Distinct().Order().ToList();
        var area = 0.0;
        for (var i = 0; i + 1 < xs.Count; i++)
        {
            for (var j = 0; j + 1 < ys.Count; j++)
            {
                if (points.Any(p => p.F1 <= xs[i] && p.F2 <= ys[j]))
                    area += (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j]);
            }
        }
        return area;
    }

    [Fact]
    public void Compute_RandomPointSets_EqualsGridUnionArea()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var points = Enumerable.Range(0, random.Next(0, 25))
                .Select(_ => (F1: Math.Round(random.NextDouble() * 1.3, 2), F2: Math.Round(random.NextDouble() * 1.3, 2)))
                .ToList();
            Assert.Equal(BruteForce(points, (1.1, 1.1)), Hypervolume2D.Compute(points, (1.1, 1.1)), 9);
        }
    }

    [Fact]
    public void Compute_SinglePoint_IsItsBox()
    {
        Assert.Equal((1.1 - 0.3) * (1.1 - 0.6), Hypervolume2D.Compute([(0.3, 0.6)], (1.1, 1.1)), 12);
    }

    [Fact]
    public void Compute_PointsOnOrBeyondReference_AddNothing()
    {
        Assert.Equal(0, Hypervolume2D.Compute([(1.1, 0), (0, 1.1), (2, 2)], (1.1, 1.1)));
    }
}
