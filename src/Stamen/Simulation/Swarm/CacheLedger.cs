using System.Runtime.InteropServices;
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
/// <para>
/// Those tails are kept, so a query is a binary search, not a walk: for a shared pool the sums of
/// the commitments' bytes from the latest end down, for per-block pools the same per held block
/// over the commitments covering it. Each is added in the walk's order (from the latest end), so
/// a query answers with the same bits the walk would; they are rebuilt after a commit (the routers
/// ask many questions between commits) and stay valid when ended commitments are pruned.
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

    /// <summary>Shared pool: _tailBytes[i] = bytes of _byEnd[i..], summed from the last; rebuilt when stale.</summary>
    private readonly List<double> _tailBytes = [];
    private bool _tailStale;

    /// <summary>Per-block pools: the commitments covering each held block (end, bytes per block), in _byEnd's order, and their tails likewise.</summary>
    private readonly List<(double EndMs, double Bytes)>[] _covering;
    private readonly List<double>[] _coveringTail;
    private readonly bool[] _coveringStale;

    /// <summary>
    /// Per-block pools: for the last (room, now) asked, the answer for blocks [b, _memoEnd) for every b from _memoFrom up.
    /// A router asks one server about every boundary inside its span, always up to the span's end, with the same session:
    /// each block is searched once per decision, and each question costs one lookup.
    /// </summary>
    private readonly double[] _suffixEarliestMs;
    private double _memoRoom = double.NaN;
    private double _memoNowMs = double.NaN;
    private int _memoEnd = -1;
    private int _memoFrom;

    public CacheLedger(CacheBudget budget, BlockSpan span)
    {
        if (budget.PoolBytes < 0 || double.IsNaN(budget.PoolBytes))
            throw new ArgumentOutOfRangeException(nameof(budget), "Cache pool must be non-negative.");
        Budget = budget;
        Span = span;
        _blockBytes = new double[span.Count];
        var perBlock = budget.PerBlock && !budget.IsSlots ? span.Count : 0;
        _covering = new List<(double, double)>[perBlock];
        _coveringTail = new List<double>[perBlock];
        _coveringStale = new bool[perBlock];
        _suffixEarliestMs = new double[perBlock];
        for (var b = 0; b < perBlock; b++)
        {
            _covering[b] = [];
            _coveringTail[b] = [];
        }
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
            if (_tailStale) RebuildTail();
            var at = LastAbove(_tailBytes, room);
            return at >= 0 ? _byEnd[at].EndMs : nowMs;
        }

        // Each block's tail overflows at its own commitment; the walk stops at the latest of those ends, so the answer
        // for [start, end) is the largest of its blocks' answers (or now).
        var end = endBlock - Span.Start;
        if (room != _memoRoom || nowMs != _memoNowMs || end != _memoEnd)
        {
            _memoRoom = room;
            _memoNowMs = nowMs;
            _memoEnd = end;
            _memoFrom = end;
        }
        for (var b = _memoFrom - 1; b >= startBlock - Span.Start; b--)
        {
            if (_coveringStale[b]) RebuildCoveringTail(b);
            var at = LastAbove(_coveringTail[b], room);
            var block = at >= 0 ? _covering[b][at].EndMs : nowMs;
            _suffixEarliestMs[b] = b + 1 < end ? Math.Max(block, _suffixEarliestMs[b + 1]) : block;
            _memoFrom = b;
        }
        return _suffixEarliestMs[startBlock - Span.Start];
    }

    /// <summary>The last index whose tail exceeds <paramref name="room"/> (tails never grow along the list), or -1.</summary>
    private static int LastAbove(List<double> tails, double room)
    {
        int low = 0, high = tails.Count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (tails[mid] > room)
            {
                found = mid;
                low = mid + 1;
            }
            else high = mid - 1;
        }
        return found;
    }

    private void RebuildTail()
    {
        CollectionsMarshal.SetCount(_tailBytes, _byEnd.Count);
        var tail = 0.0;
        for (var i = _byEnd.Count - 1; i >= 0; i--) _tailBytes[i] = tail += _byEnd[i].Bytes;
        _tailStale = false;
    }

    private void RebuildCoveringTail(int b)
    {
        var covering = _covering[b];
        var tails = _coveringTail[b];
        CollectionsMarshal.SetCount(tails, covering.Count);
        var tail = 0.0;
        for (var i = covering.Count - 1; i >= 0; i--) tails[i] = tail += covering[i].Bytes;
        _coveringStale[b] = false;
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
        _tailStale = true;
        if (_covering.Length == 0) return;
        for (var b = commitment.StartBlock - Span.Start; b < commitment.EndBlock - Span.Start; b++)
        {
            var covering = _covering[b];
            var k = covering.Count;
            while (k > 0 && covering[k - 1].EndMs > commitment.EndMs) k--;
            covering.Insert(k, (commitment.EndMs, commitment.BytesPerBlock));
            _coveringStale[b] = true;
        }
        _memoRoom = double.NaN;
    }

    /// <summary>Drops commitments that ended at or before <paramref name="nowMs"/>.</summary>
    public void Prune(double nowMs)
    {
        if (nowMs <= _prunedUpToMs) return;
        _prunedUpToMs = nowMs;
        var ended = 0;
        while (ended < _byEnd.Count && _byEnd[ended].EndMs <= nowMs) ended++;
        if (ended == 0) return;
        _byEnd.RemoveRange(0, ended);
        // The tails of what is left do not change: drop the ended ones' entries alongside.
        if (!_tailStale) _tailBytes.RemoveRange(0, ended);
        for (var b = 0; b < _covering.Length; b++)
        {
            var covering = _covering[b];
            var gone = 0;
            while (gone < covering.Count && covering[gone].EndMs <= nowMs) gone++;
            if (gone == 0) continue;
            covering.RemoveRange(0, gone);
            if (!_coveringStale[b]) _coveringTail[b].RemoveRange(0, gone);
        }
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
