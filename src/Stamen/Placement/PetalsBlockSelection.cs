namespace Stamen.Placement;

/// <summary>
/// PETALS' <c>block_selection.py</c> over an in-memory swarm: per-block throughputs, the best
/// start for a span, and the "should this server choose other blocks" simulation.
/// Spans are (start, length, throughput) per server; length 0 means the server holds nothing.
/// <para>Block throughputs are summed over servers in join order (<see cref="JoinOrder"/>), and
/// compared within a relative <c>tolerance</c> (0: exactly, as the published simulator does).</para>
/// </summary>
internal sealed class PetalsBlockSelection(int numBlocks, int[] lengths, double[] serverThroughputs, double tolerance = 0)
{
    /// <summary>PETALS' eps: leaving a span removes (1 + eps) of its throughput so a tie keeps the server where it is.</summary>
    private const double Eps = 1e-3;

    /// <summary>Current start of each server (meaningless where the length is 0).</summary>
    public int[] Starts { get; } = new int[lengths.Length];

    /// <summary>Servers placed so far (joined).</summary>
    public bool[] Joined { get; } = new bool[lengths.Length];

    private readonly bool[] _ordered = new bool[lengths.Length];

    /// <summary>Servers in the order they first joined; sums run in this order.</summary>
    public List<int> JoinOrder { get; } = [];

    /// <summary>Places server <paramref name="server"/> at <paramref name="start"/>; the first join fixes its place in the summation order.</summary>
    public void Join(int server, int start)
    {
        Starts[server] = start;
        if (!_ordered[server])
        {
            _ordered[server] = true;
            JoinOrder.Add(server);
        }
        Joined[server] = true;
    }

    public double[] BlockThroughputs()
    {
        var t = new double[numBlocks];
        foreach (var j in JoinOrder)
            if (Joined[j]) Add(t, Starts[j], lengths[j], serverThroughputs[j]);
        return t;
    }

    /// <summary>Best start with this selection's tolerance.</summary>
    public int BestStart(double[] throughputs, int length) => BestStart(throughputs, length, tolerance);

    /// <summary>Start whose window of throughputs, sorted ascending, is lexicographically smallest; ties: smallest start.</summary>
    /// <remarks>
    /// A sorted window begins with its minimum, so a window whose minimum exceeds the smallest
    /// window minimum can never win; only the windows that share that minimum are sorted and
    /// compared (in start order, keeping the first best, as a full scan would). Rebalancing calls
    /// this for every server in every simulated pass, so it dominates PETALS planning time.
    /// Throughputs are finite (sums of finite server throughputs).
    /// </remarks>
    public static int BestStart(double[] throughputs, int length, double tolerance = 0)
    {
        var windows = throughputs.Length - length + 1;
        if (windows <= 1) return 0;
        var minima = new double[windows];
        var lowest = double.PositiveInfinity;
        for (var start = 0; start < windows; start++)
        {
            var min = throughputs[start];
            for (var b = start + 1; b < start + length; b++) min = Math.Min(min, throughputs[b]);
            minima[start] = min;
            lowest = Math.Min(lowest, min);
        }

        var best = -1;
        var key = new double[length];
        var bestKey = new double[length];
        for (var start = 0; start < windows; start++)
        {
            if (Compare(minima[start], lowest, tolerance) != 0) continue;
            Array.Copy(throughputs, start, key, 0, length);
            Array.Sort(key);
            if (best < 0 || Compare(key, bestKey, tolerance) < 0)
            {
                best = start;
                (key, bestKey) = (bestKey, key);
            }
        }
        return best;
    }

    /// <summary>
    /// PETALS <c>should_choose_other_blocks</c>: simulate server <paramref name="server"/> moving to
    /// its best start, then every server (random order) moving to its best start until none moves;
    /// true when the swarm's minimum block throughput improves so that old / new &lt; quality - eps,
    /// and never when the simulated swarm has a block with (nearly) no throughput.
    /// </summary>
    public bool ShouldChooseOtherBlocks(int server, double balanceQuality, Random random, int maxPasses)
    {
        var throughputs = BlockThroughputs();
        var initial = throughputs.Min();
        var starts = (int[])Starts.Clone();
        var len = lengths[server];
        var tp = serverThroughputs[server];
        Add(throughputs, starts[server], len, -tp * (1 + Eps));
        var newStart = BestStart(throughputs, len, tolerance);
        if (newStart == starts[server]) return false;
        Add(throughputs, starts[server], len, tp * Eps);
        starts[server] = newStart;
        Add(throughputs, newStart, len, tp);

        var order = Enumerable.Range(0, lengths.Length).Where(j => Joined[j] && lengths[j] > 0).ToArray();
        var moved = true;
        for (var pass = 0; moved && pass < maxPasses; pass++)
        {
            Shuffle(order, random);
            moved = false;
            foreach (var j in order)
            {
                Add(throughputs, starts[j], lengths[j], -serverThroughputs[j] * (1 + Eps));
                var s = BestStart(throughputs, lengths[j], tolerance);
                Add(throughputs, starts[j], lengths[j], serverThroughputs[j] * Eps);
                if (s != starts[j])
                {
                    starts[j] = s;
                    moved = true;
                }
                Add(throughputs, starts[j], lengths[j], serverThroughputs[j]);
            }
        }

        var final = throughputs.Min();
        if (final < initial || final < Eps) return false;
        return initial / final < balanceQuality - Eps;
    }

    /// <summary>Fisher-Yates, as <c>np.random.shuffle</c> but from the given stream.</summary>
    public static void Shuffle(int[] items, Random random)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var k = random.Next(i + 1);
            (items[i], items[k]) = (items[k], items[i]);
        }
    }

    private static void Add(double[] t, int start, int length, double amount)
    {
        for (var b = start; b < start + length; b++) t[b] += amount;
    }

    private static int Compare(double[] a, double[] b, double tolerance)
    {
        for (var i = 0; i < a.Length; i++)
            if (Compare(a[i], b[i], tolerance) is var c and not 0) return c;
        return 0;
    }

    /// <summary>-1, 0 or 1; values within a relative <paramref name="tolerance"/> of each other are equal.</summary>
    private static int Compare(double a, double b, double tolerance)
    {
        if (a == b || Math.Abs(a - b) <= tolerance * Math.Max(Math.Abs(a), Math.Abs(b))) return 0;
        return a < b ? -1 : 1;
    }
}
