namespace Stamen.Optimization;

/// <summary>
/// Exact hypervolume (area) dominated by a set of two-objective points, both minimised, bounded
/// by a reference point: the area of the union of the boxes [f1, r1] x [f2, r2]. Points that do
/// not strictly dominate the reference add nothing. O(n log n) sweep over f1.
/// </summary>
public static class Hypervolume2D
{
    public static double Compute(IEnumerable<(double F1, double F2)> points, (double F1, double F2) reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        var inside = points
            .Where(p => p.F1 < reference.F1 && p.F2 < reference.F2)
            .OrderBy(p => p.F1)
            .ThenBy(p => p.F2);
        var area = 0.0;
        var lowestF2 = reference.F2;
        foreach (var (f1, f2) in inside)
        {
            if (f2 >= lowestF2)
                continue;
            area += (reference.F1 - f1) * (lowestF2 - f2);
            lowestF2 = f2;
        }
        return area;
    }
}
