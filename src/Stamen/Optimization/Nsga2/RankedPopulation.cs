namespace Stamen.Optimization.Nsga2;

/// <summary>
/// Elitist (mu + lambda) survival of Deb et al. (2002): sort parents plus offspring into fronts,
/// take whole fronts while they fit and fill the rest from the next front by descending
/// crowding distance (ties by index). Survivors keep the rank and crowding distance they had in
/// the combined sort, which the next tournament reads, as in the paper.
/// </summary>
internal sealed record RankedPopulation(int[] Members, int[] Ranks, double[] Crowding)
{
    /// <summary>Ranks all of <paramref name="evaluations"/> and keeps the best <paramref name="count"/>.</summary>
    public static RankedPopulation Select(IReadOnlyList<Evaluation> evaluations, int count)
    {
        var members = new List<int>(count);
        var ranks = new List<int>(count);
        var crowding = new List<double>(count);
        var fronts = FastNonDominatedSort.Sort(evaluations);
        for (var rank = 0; rank < fronts.Count && members.Count < count; rank++)
        {
            var front = fronts[rank];
            var distance = CrowdingDistance.Compute(evaluations, front);
            var order = Enumerable.Range(0, front.Length);
            if (members.Count + front.Length > count)
                order = order.OrderByDescending(i => distance[i]).ThenBy(i => i).Take(count - members.Count);
            foreach (var i in order)
            {
                members.Add(front[i]);
                ranks.Add(rank);
                crowding.Add(distance[i]);
            }
        }
        return new RankedPopulation([.. members], [.. ranks], [.. crowding]);
    }

    /// <summary>
    /// Binary tournament with Deb's crowded comparison: lower rank wins, then larger crowding
    /// distance. Choices the paper leaves open: the two contestants are two distinct members drawn
    /// uniformly (Deb's reference code uses shuffled pairings instead), and a full tie goes to the
    /// first drawn. Returns a position in <see cref="Members"/>.
    /// </summary>
    public int Tournament(Random random)
    {
        var a = random.Next(Members.Length);
        var b = random.Next(Members.Length - 1);
        if (b >= a)
            b++;
        if (Ranks[a] != Ranks[b])
            return Ranks[a] < Ranks[b] ? a : b;
        return Crowding[b] > Crowding[a] ? b : a;
    }
}
