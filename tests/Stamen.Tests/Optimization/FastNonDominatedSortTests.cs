using Stamen.Optimization.Nsga2;

namespace Stamen.Tests.Optimization;

public class FastNonDominatedSortTests
{
    /// <summary>Random points on a small grid (many ties and duplicates), some infeasible.</summary>
    private static List<Evaluation> RandomPoints(int seed)
    {
        var random = new Random(seed);
        var count = random.Next(1, 60);
        var objectives = random.Next(1, 4);
        var grid = random.Next(2, 8);
        return [.. Enumerable.Range(0, count).Select(_ => new Evaluation(
            [.. Enumerable.Range(0, objectives).Select(_ => (double)random.Next(grid))],
            random.Next(4) == 0 ? random.Next(1, 3) : 0))];
    }

    /// <summary>Rank by definition: peel off the members nobody left dominates, again and again.</summary>
    private static int[] BruteForceRanks(List<Evaluation> points)
    {
        var rank = Enumerable.Repeat(-1, points.Count).ToArray();
        for (var r = 0; rank.Contains(-1); r++)
        {
            var left = Enumerable.Range(0, points.Count).Where(i => rank[i] == -1).ToList();
            foreach (var i in left.Where(i => !left.Any(j => ConstrainedDomination.Dominates(points[j], points[i]))).ToList())
                rank[i] = r;
        }
        return rank;
    }

    [Fact]
    public void Sort_RandomPointSets_AgreesWithBruteForceRanks()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var points = RandomPoints(seed);
            var fronts = FastNonDominatedSort.Sort(points);
            var rank = new int[points.Count];
            Array.Fill(rank, -1);
            for (var r = 0; r < fronts.Count; r++)
            {
                foreach (var i in fronts[r])
                {
                    Assert.Equal(-1, rank[i]);
                    rank[i] = r;
                }
            }
            Assert.Equal(BruteForceRanks(points), rank);
        }
    }

    [Fact]
    public void Sort_FeasibleAndInfeasible_EveryFeasibleRanksAheadOfEveryInfeasible()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var points = RandomPoints(seed);
            var fronts = FastNonDominatedSort.Sort(points);
            var lastFeasible = fronts.FindLastIndex(f => f.Any(i => points[i].IsFeasible));
            var firstInfeasible = fronts.FindIndex(f => f.Any(i => !points[i].IsFeasible));
            if (lastFeasible >= 0 && firstInfeasible >= 0)
                Assert.True(lastFeasible < firstInfeasible, $"seed {seed}");
        }
    }
}
