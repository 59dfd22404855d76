namespace Stamen.Optimization.Nsga2;

/// <summary>
/// Deb's crowding distance within one front: per objective, sort the front, give both boundary
/// solutions infinity and each interior one the normalised gap between its neighbours, summed
/// over objectives. Choices the paper leaves open: ties in an objective are broken by index
/// (stable sort), so the result is deterministic; an objective with zero range over the front
/// adds nothing to interior solutions (its boundaries are still infinite).
/// </summary>
internal static class CrowdingDistance
{
    /// <summary>Distances aligned with <paramref name="front"/> (entry i belongs to front[i]).</summary>
    public static double[] Compute(IReadOnlyList<Evaluation> evaluations, IReadOnlyList<int> front)
    {
        var size = front.Count;
        var distance = new double[size];
        if (size <= 2)
        {
            Array.Fill(distance, double.PositiveInfinity);
            return distance;
        }
        var objectives = evaluations[front[0]].ObjectiveCount;
        var order = new int[size];
        for (var k = 0; k < objectives; k++)
        {
            for (var i = 0; i < size; i++)
                order[i] = i;
            var objective = k;
            // Array.Sort is unstable; the index tie-break makes the order total and deterministic.
            Array.Sort(order, (x, y) =>
            {
                var byValue = evaluations[front[x]][objective].CompareTo(evaluations[front[y]][objective]);
                return byValue != 0 ? byValue : x.CompareTo(y);
            });
            var min = evaluations[front[order[0]]][k];
            var max = evaluations[front[order[size - 1]]][k];
            distance[order[0]] = double.PositiveInfinity;
            distance[order[size - 1]] = double.PositiveInfinity;
            var range = max - min;
            if (range <= 0)
                continue;
            for (var i = 1; i < size - 1; i++)
            {
                var gap = evaluations[front[order[i + 1]]][k] - evaluations[front[order[i - 1]]][k];
                distance[order[i]] += gap / range;
            }
        }
        return distance;
    }
}
