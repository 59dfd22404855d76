using Stamen.Placement;

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
/// the sum of BytesPerBlock over commitments covering it. Sums may exceed the pool by a relative
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
/// Commitments that have ended are pruned on each query, so a ledger answers questions about
/// the present and the future only; simulated time must not go backwards.
/// </summary>
public sealed class CacheLedger
{
    /// <summary>Relative slack on the pool for floating-point rounding of sums.</summary>
    public const double Tolerance = 1e-9;

    private readonly List<CacheCommitment> _commitments = [];
    private readonly double[] _blockBytes;
    private readonly List<CacheCommitment> _byEnd = [];
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

    /// <summary>Commitments not yet known to have ended (active now or reserved for later).</summary>
    public IReadOnlyList<CacheCommitment> Commitments => _commitments;

    private double Capacity => Budget.PoolBytes * (1 + Tolerance);

    /// <summary>True if a session on blocks [start, end) fits now, counting every commitment that ends after now.</summary>
    public bool CanHostNow(int startBlock, int endBlock, double bytesPerBlock, double nowMs)
    {
        RequireHeld(startBlock, endBlock);
        Prune(nowMs);
        return Budget.PerBlock ? FitsPerBlock(startBlock, endBlock, bytesPerBlock, nowMs) : FitsShared(startBlock, endBlock, bytesPerBlock, nowMs);
    }

    /// <summary>
    /// Smallest t >= now at which the session fits counting every commitment that ends after t.
    /// Candidates are now and each commitment end after now, ascending: usage counted this way
    /// only drops at those ends. +infinity when the session alone exceeds the pool.
    /// </summary>
    public double EarliestStartMs(int startBlock, int endBlock, double bytesPerBlock, double nowMs)
    {
        RequireHeld(startBlock, endBlock);
        Prune(nowMs);
        var own = Budget.PerBlock ? bytesPerBlock : bytesPerBlock * (endBlock - startBlock);
        if (own > Capacity) return double.PositiveInfinity;
        if (CanHostNow(startBlock, endBlock, bytesPerBlock, nowMs)) return nowMs;

        _byEnd.Clear();
        _byEnd.AddRange(_commitments);
        _byEnd.Sort(static (a, b) => a.EndMs.CompareTo(b.EndMs));
        if (!Budget.PerBlock)
        {
            var used = 0.0;
            foreach (var c in _byEnd) used += c.Bytes;
            for (var i = 0; i < _byEnd.Count;)
            {
                var t = _byEnd[i].EndMs;
                for (; i < _byEnd.Count && _byEnd[i].EndMs == t; i++) used -= _byEnd[i].Bytes;
                if (used + own <= Capacity) return t;
            }
            return double.PositiveInfinity; // unreachable: with nothing counted, own fits
        }

        LoadBlockBytes(startBlock, endBlock, _byEnd);
        for (var i = 0; i < _byEnd.Count;)
        {
            var t = _byEnd[i].EndMs;
            for (; i < _byEnd.Count && _byEnd[i].EndMs == t; i++) AddBlockBytes(_byEnd[i], startBlock, endBlock, -1);
            if (MaxBlockBytes(startBlock, endBlock) + bytesPerBlock <= Capacity) return t;
        }
        return double.PositiveInfinity;
    }

    /// <summary>Records a session's claim. Callers admit first (<see cref="CanHostNow"/> or <see cref="EarliestStartMs"/>).</summary>
    public void Commit(CacheCommitment commitment)
    {
        RequireHeld(commitment.StartBlock, commitment.EndBlock);
        if (!(commitment.EndMs >= commitment.StartMs))
            throw new ArgumentException("A commitment must end at or after its start.", nameof(commitment));
        _commitments.Add(commitment);
    }

    /// <summary>Drops commitments that ended at or before <paramref name="nowMs"/>.</summary>
    public void Prune(double nowMs)
    {
        if (nowMs <= _prunedUpToMs) return;
        _prunedUpToMs = nowMs;
        var kept = 0;
        for (var i = 0; i < _commitments.Count; i++)
            if (_commitments[i].EndMs > nowMs) _commitments[kept++] = _commitments[i];
        _commitments.RemoveRange(kept, _commitments.Count - kept);
    }

    /// <summary>Cache bytes held at <paramref name="timeMs"/> (valid for times not before the last prune).</summary>
    public double UsedBytesAt(double timeMs)
    {
        var used = 0.0;
        foreach (var c in _commitments)
            if (c.IsActiveAt(timeMs)) used += c.Bytes;
        return used;
    }

    /// <summary>True if the commitments active at <paramref name="timeMs"/> respect the budget (invariant check).</summary>
    public bool WithinBudgetAt(double timeMs)
    {
        if (!Budget.PerBlock) return UsedBytesAt(timeMs) <= Capacity;
        Array.Clear(_blockBytes);
        foreach (var c in _commitments)
            if (c.IsActiveAt(timeMs))
                for (var b = c.StartBlock; b < c.EndBlock; b++) _blockBytes[b - Span.Start] += c.BytesPerBlock;
        foreach (var bytes in _blockBytes)
            if (bytes > Capacity) return false;
        return true;
    }

    private bool FitsShared(int startBlock, int endBlock, double bytesPerBlock, double nowMs)
    {
        var used = bytesPerBlock * (endBlock - startBlock);
        foreach (var c in _commitments)
            if (c.EndMs > nowMs) used += c.Bytes;
        return used <= Capacity;
    }

    private bool FitsPerBlock(int startBlock, int endBlock, double bytesPerBlock, double nowMs)
    {
        if (bytesPerBlock > Capacity) return false;
        Array.Clear(_blockBytes);
        foreach (var c in _commitments)
            if (c.EndMs > nowMs) AddBlockBytes(c, startBlock, endBlock, +1);
        return MaxBlockBytes(startBlock, endBlock) + bytesPerBlock <= Capacity;
    }

    private void LoadBlockBytes(int startBlock, int endBlock, List<CacheCommitment> commitments)
    {
        Array.Clear(_blockBytes);
        foreach (var c in commitments) AddBlockBytes(c, startBlock, endBlock, +1);
    }

    /// <summary>Adds (sign +1) or removes (-1) a commitment's bytes on the blocks it shares with [start, end).</summary>
    private void AddBlockBytes(in CacheCommitment c, int startBlock, int endBlock, int sign)
    {
        var from = Math.Max(c.StartBlock, startBlock);
        var to = Math.Min(c.EndBlock, endBlock);
        for (var b = from; b < to; b++) _blockBytes[b - Span.Start] += sign * c.BytesPerBlock;
    }

    private double MaxBlockBytes(int startBlock, int endBlock)
    {
        var max = 0.0;
        for (var b = startBlock; b < endBlock; b++) max = Math.Max(max, _blockBytes[b - Span.Start]);
        return max;
    }

    private void RequireHeld(int startBlock, int endBlock)
    {
        if (startBlock < Span.Start || endBlock > Span.End || startBlock >= endBlock)
            throw new ArgumentException($"Blocks [{startBlock}, {endBlock}) are not a non-empty part of the server's span [{Span.Start}, {Span.End}).");
    }
}
