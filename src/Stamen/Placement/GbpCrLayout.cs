using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Placement;

/// <summary>
/// Algorithm 1 of Sun, He, Hou (GBP-CR) for one cache reservation c. Internal machinery of
/// <see cref="GbpCrPlanner"/>.
/// </summary>
internal sealed class GbpCrLayout
{
    private GbpCrLayout(int reservation, BlockSpan[] spans, int disjointChains, double serviceRatePerMs, bool meetsRate)
    {
        Reservation = reservation;
        Spans = spans;
        DisjointChains = disjointChains;
        ServiceRatePerMs = serviceRatePerMs;
        MeetsRate = meetsRate;
    }

    /// <summary>c: sessions every used server has cache for through all of its blocks.</summary>
    public int Reservation { get; }
    public BlockSpan[] Spans { get; }
    /// <summary>K(c): complete disjoint chains formed before the rate was met (or the servers ran out).</summary>
    public int DisjointChains { get; }
    /// <summary>nu = sum over those chains of 1 / (chain time + fixed delay), per ms.</summary>
    public double ServiceRatePerMs { get; }
    /// <summary>True if nu reached lambda / (rho-bar c).</summary>
    public bool MeetsRate { get; }

    /// <summary>
    /// m_j(c) = min(floor(M_j / (s_m + s_c c)), L, MaxBlocks_j); servers sorted by amortized time
    /// t_j(c) / m_j(c) (stable by index); each takes the next blocks of the chain being built,
    /// starting at min(a, L - m_j) so a server never runs past block L; when a chain reaches L its
    /// rate 1 / (T + fixed delay) is added and, unless nu reached the required rate, a new chain
    /// starts at block 0. Servers after the break hold nothing. Null when sum m_j(c) &lt; L.
    /// </summary>
    public static GbpCrLayout? Build(SwarmSpec swarm, PlanningHopTimes hops, double sessionCacheBytesPerBlock, int reservation,
        double requiredRatePerMs, double fixedDelayMs)
    {
        var l = swarm.Model.NumBlocks;
        var n = swarm.ServerCount;
        var blocks = new int[n];
        long total = 0;
        for (var j = 0; j < n; j++)
        {
            blocks[j] = CgBpLayout.BlocksFor(swarm.Servers[j], swarm.Model.BlockBytes, sessionCacheBytesPerBlock, reservation, l);
            total += blocks[j];
        }
        if (total < l) return null;

        // OrderBy is stable, so equal amortized times keep server order.
        var sorted = Enumerable.Range(0, n).Where(j => blocks[j] > 0).OrderBy(j => hops.Ms(j, blocks[j]) / blocks[j]).ToArray();
        var spans = Enumerable.Repeat(BlockSpan.None, n).ToArray();
        int next = 0, chains = 0;
        double chainMs = 0, rate = 0;
        var meets = false;
        foreach (var j in sorted)
        {
            var m = blocks[j];
            spans[j] = new BlockSpan(Math.Min(next, l - m), m);
            chainMs += hops.Ms(j, m);
            next = Math.Min(next + m, l);
            if (next < l) continue;
            chains++;
            rate += 1 / (chainMs + fixedDelayMs);
            if (rate >= requiredRatePerMs)
            {
                meets = true;
                break;
            }
            next = 0;
            chainMs = 0;
        }
        return new GbpCrLayout(reservation, spans, chains, rate, meets);
    }
}
