namespace Stamen.Routing;

/// <summary>
/// Picks one route from a Pareto front of (per-token latency, -free sessions). Both objectives are
/// first normalised to [0, 1] over the front (an objective that does not vary maps to 0), so the
/// rules do not depend on units. Ties go to lower latency, then to the lower index.
/// </summary>
public static class TradeoffChoice
{
    private const double TieTolerance = 1e-12;

    /// <summary>
    /// The knee: the point farthest from the line joining the two extremes (the lowest-latency and
    /// the most-free-sessions point), on the side of the ideal point (0, 0), i.e. the route whose
    /// gain over a straight trade-off is largest. A front with nothing on that side (one or two
    /// points, or a concave front) gives the lowest-latency extreme.
    /// </summary>
    public static int Knee(IReadOnlyList<TradeoffPoint> front)
    {
        var (x, y) = Normalised(front);
        var a = Extreme(x, y);
        var b = Extreme(y, x);
        var dx = x[b] - x[a];
        var dy = y[b] - y[a];
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        // A lies up-left, B down-right; the ideal (0, 0) is to the right of the direction A -> B,
        // where the cross product (B - A) x (P - A) is negative.
        return Best(front, i => length == 0 ? 0 : -((dx * (y[i] - y[a])) - (dy * (x[i] - x[a]))) / length, maximise: true);
    }

    /// <summary>
    /// The point minimising w * latency + (1 - w) * (-free sessions), normalised.
    /// w = 1 gives the lowest latency, w = 0 the most free sessions.
    /// </summary>
    public static int Weighted(IReadOnlyList<TradeoffPoint> front, double latencyWeight)
    {
        if (!(latencyWeight >= 0 && latencyWeight <= 1))
            throw new ArgumentOutOfRangeException(nameof(latencyWeight), latencyWeight, "The latency weight must be within [0, 1].");
        var (x, y) = Normalised(front);
        return Best(front, i => (latencyWeight * x[i]) + ((1 - latencyWeight) * y[i]), maximise: false);
    }

    private static (double[] Latency, double[] Load) Normalised(IReadOnlyList<TradeoffPoint> front)
    {
        ArgumentNullException.ThrowIfNull(front);
        if (front.Count == 0) throw new ArgumentException("The front is empty.", nameof(front));
        return (Scale(front.Select(p => p.PerTokenLatencyMs)), Scale(front.Select(p => -p.BottleneckFreeSessions)));
    }

    private static double[] Scale(IEnumerable<double> values)
    {
        var v = values.ToArray();
        var min = v.Min();
        var range = v.Max() - min;
        for (var i = 0; i < v.Length; i++) v[i] = range > 0 ? (v[i] - min) / range : 0;
        return v;
    }

    /// <summary>Index with the smallest <paramref name="primary"/>, ties by the smaller <paramref name="secondary"/>, then index.</summary>
    private static int Extreme(double[] primary, double[] secondary)
    {
        var best = 0;
        for (var i = 1; i < primary.Length; i++)
            if (primary[i] < primary[best] || (primary[i] == primary[best] && secondary[i] < secondary[best])) best = i;
        return best;
    }

    private static int Best(IReadOnlyList<TradeoffPoint> front, Func<int, double> score, bool maximise)
    {
        var best = 0;
        var bestScore = score(0);
        for (var i = 1; i < front.Count; i++)
        {
            var s = score(i);
            var better = maximise ? s > bestScore + TieTolerance : s < bestScore - TieTolerance;
            var tie = Math.Abs(s - bestScore) <= TieTolerance;
            if (better || (tie && front[i].PerTokenLatencyMs < front[best].PerTokenLatencyMs))
            {
                best = i;
                bestScore = s;
            }
        }
        return best;
    }
}
