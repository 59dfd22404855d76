namespace Stamen.Placement;

/// <summary>
/// PETALS' <c>block_selection.py</c> over an in-memory swarm: per-block throughputs, the best
/// start for a span, and the "should this server choose other blocks" simulation.
/// Spans are (start, length, throughput) per server; length 0 means the server holds nothing.
/// </summary>
internal sealed class PetalsBlockSelection(int numBlocks, int[] lengths, double[] serverThroughputs)
{
    /// <summary>PETALS' eps: leaving a span removes (1 + eps) of its throughput so a tie keeps the server where it is.</summary>
    private const double Eps = 1e-3;

    /// <summary>Current start of each server (meaningless where the length is 0).</summary>
    public int[] Starts { get; } = new int[lengths.Length];

    /// <summary>Servers placed so far (joined).</summary>
    public bool[] Joined { get; } = new bool[lengths.Length];

    public double[] BlockThroughputs()
    {
        var t = new double[numBlocks];
        for (var j = 0; j < lengths.Length; j++)
            if (Joined[j]) Add(t, Starts[j], lengths[j], serverThroughputs[j]);
        return t;
    }

    /// <summary>Start whose window of throughputs, sorted ascending, is lexicographically smallest; ties: smallest start.</summary>
    public static int BestStart(double[] throughputs, int length)
    {
        var best = 0;
        double[]? bestKey = null;
        for (var start = 0; start + length <= throughputs.Length; start++)
        {
            var key = throughputs[start..(start + length)];
            Array.Sort(key);
            if (bestKey is null || Compare(key, bestKey) < 0)
            {
                best = start;
                bestKey = key;
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
        var newStart = BestStart(throughputs, len);
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
                var s = BestStart(throughputs, lengths[j]);
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

    private static int Compare(double[] a, double[] b)
    {
        for (var i = 0; i < a.Length; i++)
            if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
        return 0;
    }
}
