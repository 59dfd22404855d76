namespace Stamen.Optimization.Nsga2;

/// <summary>
/// Deb's fast non-dominated sort, O(M N^2): counts for each solution how many dominate it, then
/// peels fronts. Uses <see cref="ConstrainedDomination"/>, so feasible solutions always rank
/// ahead of infeasible ones.
/// </summary>
internal static class FastNonDominatedSort
{
    /// <summary>Fronts of indices into <paramref name="evaluations"/>, best first; each front in index order.</summary>
    public static List<int[]> Sort(IReadOnlyList<Evaluation> evaluations)
    {
        var n = evaluations.Count;
        var dominatedBy = new int[n];
        var dominates = new List<int>[n];
        for (var i = 0; i < n; i++)
            dominates[i] = [];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                if (ConstrainedDomination.Dominates(evaluations[i], evaluations[j]))
                {
                    dominates[i].Add(j);
                    dominatedBy[j]++;
                }
                else if (ConstrainedDomination.Dominates(evaluations[j], evaluations[i]))
                {
                    dominates[j].Add(i);
                    dominatedBy[i]++;
                }
            }
        }

        var fronts = new List<int[]>();
        var current = Enumerable.Range(0, n).Where(i => dominatedBy[i] == 0).ToList();
        while (current.Count > 0)
        {
            fronts.Add([.. current]);
            var next = new List<int>();
            foreach (var p in current)
            {
                foreach (var q in dominates[p])
                {
                    if (--dominatedBy[q] == 0)
                        next.Add(q);
                }
            }
            next.Sort();
            current = next;
        }
        return fronts;
    }
}
