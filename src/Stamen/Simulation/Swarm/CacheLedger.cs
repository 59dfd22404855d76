using Stamen.Placement;
using Stamen.Plans;

namespace Stamen.Simulation.Swarm;

/// <summary>
/// One session's claim on a server's attention cache: blocks [StartBlock, EndBlock), each holding
/// <see cref="BytesPerBlock"/>, from <see cref="StartMs"/> (inclusive) to <see cref="EndMs"/> (exclusive).
/// </summary>
public readonly record struct CacheCommitment(double StartMs, double EndMs, int StartBlock, int EndBlock, double BytesPerBlock)
{
    public int Blocks => EndBlock - StartBlock;
    public double Bytes => BytesPerBlock * Blocks;
    public bool IsActiveAt(double timeMs) => StartMs <= timeMs && timeMs < EndMs;
}

/// <summary>
/// The cache commitments of one server and the admission arithmetic over them.
/// <para>
/// Budget (from the placement's <see cref="CacheBudget"/>): a shared pool bounds the sum of
/// BytesPerBlock * Blocks over active commitments; a per-block pool bounds, for every held block,
/// the sum of BytesPerBlock over commitments covering it; a slot pool bounds the number of active
/// commitments times the slot size. Sums may exceed the pool by a relative
/// 1e-9 (<see cref="Tolerance"/>) so that a pool sized as exactly n sessions admits n despite rounding.
/// </para>
/// <para>
/// Admission counts every commitment whose end lies after the candidate start, including
/// reservations that begin later. Why this never overfills the cache at any instant x: among
/// the commitments active at x, take the one committed last, c. Every other one, d, was already
/// in the ledger when c was admitted, and d ends after x >= c's start, so c's check counted d.
/// That check passed, so the commitments active at x fit (a subset of a fitting set fits,
/// per pool and per block alike). Counting only commitments active at the start would not be
/// safe: a reservation beginning later could overlap the tail of the new session.
/// </para>
/// <para>
/// Commitments are kept sorted by end time. The usage counted at a candidate t is the sum over
/// the commitments ending after t, a tail of that order, so a query walks from the latest end
/// down until the pool overflows: it touches about as many commitments as the pool holds
/// sessions, not the whole backlog of future reservations.
/// </para>
/// Commitments that have ended are pruned on each query, so a ledger answers questions about
/// the present and the future only; simulated time must not go backwards.
/// </summary>
public sealed class CacheLedger
{
    /// <summary>Relative slack on the pool for floating-point rounding of sums.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>Live commitments, ascending by end time (ties in commit order).</summary>
    private readonly List<CacheCommitment> _byEnd = [];
    private readonly double[] _blockBytes;
    private double _prunedUpToMs = double.NegativeInfinity;

    public CacheLedger(CacheBudget budget, BlockSpan span)
    {
        if (budget.PoolBytes < 0 || double.IsNaN(budget.PoolBytes))
            throw new ArgumentOutOfRangeException(nameof(budget), "Cache pool must be non-negative.");
        Budget = budget;
        Span = span;
        _blockBytes = new double[span.Count];
    }

    public CacheBudget Budget { get; }
    public BlockSpan Span { get; }

    /// <summary>Commitments not yet known to have ended (active now or reserved for later), by end time.</summary>
    public IReadOnlyList<CacheCommitment> Commitments => _byEnd;

    private double Capacity => Budget.PoolBytes * (1 + Tolerance);

    /// <summary>True if a session on blocks [start, end) fits now, counting every commitment that ends after now.</summary>
    public bool CanHostNow(int startBlock, int endBlock, double bytesPerBlock, double nowMs) =>
        EarliestStartMs(startBlock, endBlock, bytesPerBlock, nowMs) == nowMs;

    /// <summary>
    /// Smallest t >= now at which the session fits counting every commitment that ends after t.
    /// Candidates are now and each commitment end after now: usage counted this way only drops
    /// at those ends. +infinity when the session alone exceeds the pool.
    /// </summary>
    public double EarliestStartMs(int startBlock, int endBlock, double bytesPerBlock, double nowMs)
    {
        RequireHeld(startBlock, endBlock);
        Prune(nowMs);
        var own = Budget.SessionBytes(endBlock - startBlock, bytesPerBlock);
        var room = Capacity - own;
        if (room < 0) return double.PositiveInfinity;

        // Walk down from the latest end, adding each commitment to the counted tail. The first
        // one that overflows the room is counted by every candidate up to its end, and the
        // candidate at its end counts only the later ones, which fit: its end is the answer.
        // (Everything left ends after now, so reaching the bottom means the session fits now.)
        if (Budget.IsSlots)
        {
            // Every commitment takes one slot: the tail overflows at the (floor(room / slot) + 1)-th latest end.
            var fit = Math.Floor(room / Budget.SlotBytes);
            return _byEnd.Count > fit ? _byEnd[_byEnd.Count - 1 - (int)fit].EndMs : nowMs;
        }
        if (!Budget.PerBlock)
        {
            var tail = 0.0;
            for (var i = _byEnd.Count - 1; i >= 0; i--)
            {
                tail += _byEnd[i].Bytes;
                if (tail > room) return _byEnd[i].EndMs;
            }
            return nowMs;
        }

        Array.Clear(_blockBytes, startBlock - Span.Start, endBlock - startBlock);
        for (var i = _byEnd.Count - 1; i >= 0; i--)
        {
            var c = _byEnd[i];
            var to = Math.Min(c.EndBlock, endBlock);
            for (var b = Math.Max(c.StartBlock, startBlock); b < to; b++)
                if ((_blockBytes[b - Span.Start] += c.BytesPerBlock) > room) return c.EndMs;
        }
        return nowMs;
    }

    /// <summary>
    /// Bytes free now for blocks [start, end), counting every commitment that ends after now, as
    /// <see cref="EarliestStartMs"/> does (the pool includes the <see cref="Tolerance"/> slack, so a
    /// session of x bytes fits now when x &lt;= this). Per-block pools: the least free block. Never negative.
    /// </summary>
    public double FreeBytesNow(int startBlock, int endBlock, double nowMs)
    {
        RequireHeld(startBlock, endBlock);
        Prune(nowMs);
        if (!Budget.PerBlock)
        {
            if (Budget.IsSlots) return Math.Max(0, Capacity - _byEnd.Count * Budget.SlotBytes);
            var used = 0.0;
            foreach (var c in _byEnd) used += c.Bytes;
            return Math.Max(0, Capacity - used);
        }

        Array.Clear(_blockBytes, startBlock - Span.Start, endBlock - startBlock);
        foreach (var c in _byEnd)
        {
            var to = Math.Min(c.EndBlock, endBlock);
            for (var b = Math.Max(c.StartBlock, startBlock); b < to; b++) _blockBytes[b - Span.Start] += c.BytesPerBlock;
        }
        var fullest = 0.0;
        for (var b = startBlock; b < endBlock; b++) fullest = Math.Max(fullest, _blockBytes[b - Span.Start]);
        return Math.Max(0, Capacity - fullest);
    }

    /// <summary>Sessions committed here that have not ended by <paramref name="nowMs"/>, reservations that start later included.</summary>
    public int SessionsNotEnded(double nowMs)
    {
        Prune(nowMs);
        return _byEnd.Count;
    }

    /// <summary>Records a session's claim. Callers admit first (<see cref="CanHostNow"/> or <see cref="EarliestStartMs"/>).</summary>
    public void Commit(CacheCommitment commitment)
    {
        RequireHeld(commitment.StartBlock, commitment.EndBlock);
        if (!(commitment.EndMs >= commitment.StartMs))
            throw new ArgumentException("A commitment must end at or after its start.", nameof(commitment));
        // Insert after every commitment ending no later (usually at or near the back).
        var at = _byEnd.Count;
        while (at > 0 && _byEnd[at - 1].EndMs > commitment.EndMs) at--;
        _byEnd.Insert(at, commitment);
    }

    /// <summary>Drops commitments that ended at or before <paramref name="nowMs"/>.</summary>
    public void Prune(double nowMs)
    {
        if (nowMs <= _prunedUpToMs) return;
        _prunedUpToMs = nowMs;
        var ended = 0;
        while (ended < _byEnd.Count && _byEnd[ended].EndMs <= nowMs) ended++;
        if (ended > 0) _byEnd.RemoveRange(0, ended);
    }

    /// <summary>Cache bytes held at <paramref name="timeMs"/> (valid for times not before the last prune).</summary>
    public double UsedBytesAt(double timeMs)
    {
        var used = 0.0;
        foreach (var c in _byEnd)
            if (c.IsActiveAt(timeMs)) used += c.Bytes;
        return used;
    }

    /// <summary>True if the commitments active at <paramref name="timeMs"/> respect the budget (invariant check).</summary>
    public bool WithinBudgetAt(double timeMs)
    {
        if (Budget.IsSlots) return _byEnd.Count(c => c.IsActiveAt(timeMs)) * Budget.SlotBytes <= Capacity;
        if (!Budget.PerBlock) return UsedBytesAt(timeMs) <= Capacity;
        Array.Clear(_blockBytes);
        foreach (var c in _byEnd)
            if (c.IsActiveAt(timeMs))
                for (var b = c.StartBlock; b < c.EndBlock; b++) _blockBytes[b - Span.Start] += c.BytesPerBlock;
        foreach (var bytes in _blockBytes)
            if (bytes > Capacity) return false;
        return true;
    }

    private void RequireHeld(int startBlock, int endBlock)
    {
        if (startBlock < Span.Start || endBlock > Span.End || startBlock >= endBlock)
            throw new ArgumentException($"Blocks [{startBlock}, {endBlock}) are not a non-empty part of the server's span [{Span.Start}, {Span.End}).");
    }
}
