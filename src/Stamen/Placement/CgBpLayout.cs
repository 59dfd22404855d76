using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Placement;

/// <summary>
/// Steps 1-3 of CG-BP (reference section 1) for a given R: conservative block counts, amortized
/// times, and the greedy placement. Internal machinery of <see cref="CgBpPlanner"/>.
/// </summary>
internal sealed class CgBpLayout
{
    private CgBpLayout(int sessions, int[] blocks, double[] amortizedMs, int[] sorted, BlockSpan[] spans, long[] blockCapacity, double[] poolBytes)
    {
        Sessions = sessions;
        Blocks = blocks;
        AmortizedMs = amortizedMs;
        Sorted = sorted;
        Spans = spans;
        BlockCapacity = blockCapacity;
        PoolBytes = poolBytes;
    }

    public int Sessions { get; }
    /// <summary>m_j (0: the server holds nothing).</summary>
    public int[] Blocks { get; }
    /// <summary>t~_j = tau_j + max_c RTT(c,j) / m_j (NaN where m_j = 0).</summary>
    public double[] AmortizedMs { get; }
    /// <summary>Servers with m_j &gt; 0 in ascending t~ order (stable by index).</summary>
    public int[] Sorted { get; }
    public BlockSpan[] Spans { get; }
    /// <summary>C_b: sessions each block can serve.</summary>
    public long[] BlockCapacity { get; }
    /// <summary>Shared cache pool M_j - s_m m_j of each used server.</summary>
    public double[] PoolBytes { get; }

    public long TotalBlocks => Blocks.Sum(m => (long)m);

    /// <summary>m_j = min(floor(M_j / (s_m + s_c R)), L, MaxBlocks_j).</summary>
    public static int BlocksFor(ServerSpec server, double blockBytes, double sessionCacheBytesPerBlock, int sessions, int numBlocks)
    {
        var fit = Math.Floor(server.MemoryBytes / (blockBytes + sessionCacheBytesPerBlock * sessions));
        return (int)Math.Clamp(fit, 0, Math.Min(numBlocks, server.MaxBlocks));
    }

    public static long TotalBlocksFor(SwarmSpec swarm, double sessionCacheBytesPerBlock, int sessions) =>
        swarm.Servers.Sum(s => (long)BlocksFor(s, swarm.Model.BlockBytes, sessionCacheBytesPerBlock, sessions, swarm.Model.NumBlocks));

    public static CgBpLayout Build(SwarmSpec swarm, double sessionCacheBytesPerBlock, int sessions)
    {
        var model = swarm.Model;
        var l = model.NumBlocks;
        var n = swarm.ServerCount;
        var sm = model.BlockBytes;
        var sc = sessionCacheBytesPerBlock;
        var blocks = swarm.Servers.Select(s => BlocksFor(s, sm, sc, sessions, l)).ToArray();
        var amortized = new double[n];
        for (var j = 0; j < n; j++)
        {
            var worstRtt = Enumerable.Range(0, swarm.ClientCount).Select(c => swarm.Delays.PerTokenRttMs(c, j)).DefaultIfEmpty(0).Max();
            amortized[j] = blocks[j] > 0 ? swarm.Servers[j].Times.DecodeMsPerBlock + worstRtt / blocks[j] : double.NaN;
        }
        // OrderBy is stable, so equal t~ keep server order.
        var sorted = Enumerable.Range(0, n).Where(j => blocks[j] > 0).OrderBy(j => amortized[j]).ToArray();
        var tMax = sorted.Length == 0 ? 1 : sorted.Max(j => amortized[j]) + 1;

        var capacity = new long[l];
        var mass = new double[l];
        Array.Fill(mass, sessions * tMax);
        var spans = Enumerable.Repeat(BlockSpan.None, n).ToArray();
        var pools = new double[n];
        foreach (var j in sorted)
        {
            var m = blocks[j];
            var cap = (long)Math.Floor((swarm.Servers[j].MemoryBytes - sm * m) / (sc * m));
            var start = capacity.Any(c => c < sessions)
                ? HeaviestUnderServedWindow(capacity, mass, m, sessions)
                : LeastServedWindow(capacity, m);
            for (var b = start; b < start + m; b++)
            {
                mass[b] -= (tMax - amortized[j]) * Math.Min(Math.Max(sessions - capacity[b], 0), cap);
                capacity[b] += cap;
            }
            spans[j] = new BlockSpan(start, m);
            pools[j] = swarm.Servers[j].MemoryBytes - sm * m;
        }
        return new CgBpLayout(sessions, blocks, amortized, sorted, spans, capacity, pools);
    }

    /// <summary>Among windows holding a block with C_b &lt; R, the one with the largest sum of T_b; ties: smallest start.</summary>
    private static int HeaviestUnderServedWindow(long[] capacity, double[] mass, int length, int sessions)
    {
        var best = -1;
        var bestSum = double.NegativeInfinity;
        for (var start = 0; start + length <= capacity.Length; start++)
        {
            var underServed = false;
            double sum = 0;
            for (var b = start; b < start + length; b++)
            {
                underServed |= capacity[b] < sessions;
                sum += mass[b];
            }
            if (underServed && sum > bestSum)
            {
                best = start;
                bestSum = sum;
            }
        }
        return best;
    }

    /// <summary>The window whose C_b sorted ascending is lexicographically smallest; ties: smallest start.</summary>
    private static int LeastServedWindow(long[] capacity, int length)
    {
        var best = 0;
        long[]? bestKey = null;
        for (var start = 0; start + length <= capacity.Length; start++)
        {
            var key = capacity[start..(start + length)];
            Array.Sort(key);
            if (bestKey is null || key.AsSpan().SequenceCompareTo(bestKey) < 0)
            {
                best = start;
                bestKey = key;
            }
        }
        return best;
    }
}
