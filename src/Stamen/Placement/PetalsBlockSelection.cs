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

    private readonly int[] _starts = new int[lengths.Length];
    private readonly bool[] _joined = new bool[lengths.Length];
    private readonly bool[] _ordered = new bool[lengths.Length];

    // The block throughputs of the current starts, summed in join order; null when a start or a join changed since.
    private double[]? _throughputs;
    private double _lowest, _averageBlockThroughput; // of _throughputs, set with it


    /// <summary>Current start of each server (meaningless where the length is 0).</summary>
    public IReadOnlyList<int> Starts => _starts;

    /// <summary>Whether each server is placed (joined and not left).</summary>
    public IReadOnlyList<bool> Joined => _joined;

    /// <summary>Servers in the order they first joined; sums run in this order.</summary>
    public List<int> JoinOrder { get; } = [];

    /// <summary>Places server <paramref name="server"/> at <paramref name="start"/>; the first join fixes its place in the summation order.</summary>
    public void Join(int server, int start)
    {
        _starts[server] = start;
        if (!_ordered[server])
        {
            _ordered[server] = true;
            JoinOrder.Add(server);
        }
        _joined[server] = true;
        _throughputs = null;
    }

    /// <summary>Takes a joined server out of the sums (it keeps its place in the join order and its start).</summary>
    public void Leave(int server)
    {
        _joined[server] = false;
        _throughputs = null;
    }

    /// <summary>Block throughputs (a fresh array the caller may change): each block's sum over the placed servers holding it, in join order.</summary>
    public double[] BlockThroughputs()
    {
        if (_throughputs is null)
        {
            var t = new double[numBlocks];
            var total = 0.0;
            foreach (var j in JoinOrder)
                if (_joined[j])
                {
                    Add(t, _starts[j], lengths[j], serverThroughputs[j]);
                    total += serverThroughputs[j] * lengths[j];
                }
            _throughputs = t;
            _lowest = t.Min();
            _averageBlockThroughput = total / numBlocks;
        }
        return (double[])_throughputs.Clone();
    }

    /// <summary>Best start with this selection's tolerance.</summary>
    public int BestStart(double[] throughputs, int length) => BestStart(throughputs, length, tolerance);

    /// <summary>Start whose window of throughputs, sorted ascending, is lexicographically smallest; ties: smallest start.</summary>
    /// <remarks>
    /// A sorted window begins with its minimum, so only windows whose minimum ties the smallest window minimum can win;
    /// they are sorted and compared in start order, keeping the first best, as a full scan would. The smallest window
    /// minimum is the smallest throughput of all (every block lies in some window), and a window's minimum ties it
    /// exactly when the window holds a block whose throughput ties it (ties are an interval above the minimum), so the
    /// candidates are found in one pass over the blocks. Rebalancing calls this for every server in every simulated
    /// pass, so it dominates PETALS planning time; the buffers are reused per thread. Throughputs are finite.
    /// </remarks>
    public static int BestStart(double[] throughputs, int length, double tolerance = 0)
    {
        var blocks = throughputs.Length;
        var windows = blocks - length + 1;
        if (windows <= 1) return 0;
        var lowest = double.PositiveInfinity;
        for (var b = 0; b < blocks; b++) lowest = Math.Min(lowest, throughputs[b]);

        // nextTie[b]: the first block at or after b whose throughput ties the lowest (blocks when none).
        var scratch = _scratch ??= new Scratch();
        var nextTie = scratch.Ints(blocks + 1);
        nextTie[blocks] = blocks;
        for (var b = blocks - 1; b >= 0; b--) nextTie[b] = Compare(throughputs[b], lowest, tolerance) == 0 ? b : nextTie[b + 1];

        // Candidates in start order against the best so far, a full scan's order. Two overlapping windows A = [a, a + len)
        // and B = [b, b + len), a < b, share the blocks [b, a + len): their sorted keys agree exactly up to the smaller of
        // x = min over [a, b) and y = min over [a + len, b + len), where the one holding it meets the other's next larger
        // value. Unless those two values tie (within the tolerance), that position decides; else both are sorted.
        var best = -1;
        double x = double.PositiveInfinity, y = double.PositiveInfinity;
        for (var start = 0; start < windows; start++)
        {
            if (best >= 0 && start < best + length)
            {
                x = Math.Min(x, throughputs[start - 1]);
                y = Math.Min(y, throughputs[start + length - 1]);
            }
            if (nextTie[start] >= start + length) continue;
            if (best < 0 || CompareWindows(throughputs, start, best, length, tolerance, x, y, scratch) < 0)
            {
                best = start;
                x = y = double.PositiveInfinity;
            }
        }
        return best;
    }

    /// <summary>
    /// The sign of window <paramref name="b"/>'s sorted key against window <paramref name="a"/>'s (a &lt; b), compared
    /// position by position within the tolerance; <paramref name="x"/> and <paramref name="y"/> are the minima of the
    /// blocks only a holds and only b holds when the windows overlap.
    /// </summary>
    private static int CompareWindows(double[] t, int b, int a, int length, double tolerance, double x, double y, Scratch scratch)
    {
        if (b < a + length && x != y)
        {
            // The window holding the smaller of x and y has it where the other has its next value above it.
            var (low, other) = x < y ? (x, b) : (y, a);
            var next = double.PositiveInfinity;
            for (var i = other; i < other + length; i++)
                if (t[i] > low && t[i] < next) next = t[i];
            if (Compare(low, next, tolerance) != 0) return x < y ? 1 : -1;
        }
        var (key, aKey) = scratch.Keys(length);
        Array.Copy(t, b, key, 0, length);
        Array.Sort(key, 0, length);
        Array.Copy(t, a, aKey, 0, length);
        Array.Sort(aKey, 0, length);
        return Compare(key, aKey, length, tolerance);
    }

    [ThreadStatic]
    private static Scratch? _scratch;

    /// <summary>Buffers BestStart reuses (one set per thread), grown as needed.</summary>
    private sealed class Scratch
    {
        private int[] _ints = [];
        private double[] _a = [], _b = [];

        public int[] Ints(int count) => _ints.Length >= count ? _ints : _ints = new int[count];

        public (double[], double[]) Keys(int length)
        {
            if (_a.Length < length) (_a, _b) = (new double[length], new double[length]);
            return (_a, _b);
        }
    }

    /// <summary>
    /// Whether no server can ever want to move from the current starts: <see cref="ShouldChooseOtherBlocks"/> is true only
    /// when the simulated swarm's minimum block throughput exceeds the current minimum / (quality - eps), and no
    /// arrangement of the spans lifts the minimum above the average block throughput (moving spans keeps the total). When
    /// the current minimum is that close to the average, every server's answer is no and stays no, so the simulations
    /// (each a pass over every server until none moves) need not run: the plan is the same. The margin covers the
    /// rounding of the simulation's running sums many times over.
    /// </summary>
    public bool NobodyCanGain(double balanceQuality)
    {
        if (_throughputs is null) BlockThroughputs();
        return _lowest / (balanceQuality - Eps) >= _averageBlockThroughput * (1 + 1e-6);
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
        var len = lengths[server];
        var tp = serverThroughputs[server];
        Add(throughputs, _starts[server], len, -tp * (1 + Eps));
        var newStart = BestStart(throughputs, len, tolerance);
        if (newStart == _starts[server]) return false;
        var starts = (int[])_starts.Clone();
        Add(throughputs, starts[server], len, tp * Eps);
        starts[server] = newStart;
        Add(throughputs, newStart, len, tp);

        var order = Enumerable.Range(0, lengths.Length).Where(j => _joined[j] && lengths[j] > 0).ToArray();
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

    private static int Compare(double[] a, double[] b, int length, double tolerance)
    {
        for (var i = 0; i < length; i++)
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
