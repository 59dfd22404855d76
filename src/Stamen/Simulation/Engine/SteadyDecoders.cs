namespace Stamen.Simulation.Engine;

/// <summary>
/// The running requests that decode one token every step, advanced together rather than one by one: the first
/// <see cref="Count"/> entries of an engine's running list. In a busy engine nearly every running request is such a
/// decoder, and a step changes them all alike: one more token of KV, one more output token, the same gap since their
/// last token. So the engine puts them in a step, and applies the step to them, in O(1); a member's own fields are
/// brought up to date (settled) only when it finishes, when the members are dissolved back into plain running requests,
/// or before an invariant check. Two things still differ per member and are kept here: when it opens its next KV block
/// (every block of tokens, so members are counted by step modulo the block size) and the step at which it finishes (a
/// priority queue). Results are the same as advancing each member: the only sum whose bits depend on order, the
/// inter-token gaps', gets the shared gap once per member, first in the step as the members come first in the batch.
/// </summary>
internal sealed class SteadyDecoders
{
    /// <summary>Longest block this class counts by step (a larger configured block leaves every request to the plain path).</summary>
    public const int MaxBlockTokens = 4096;

    private readonly int _blockTokens;
    private readonly int[] _opening;
    private readonly PriorityQueue<EngineRequestState, long> _finishing = new();
    private readonly AdapterSlots? _slots;
    private readonly EngineRecorder _recorder;
    private long _steps;
    private long _windowSteps;

    /// <param name="blockTokens">Paged KV block size, whose blocks members open as they grow; 0 when units never grow while decoding (reserved KV).</param>
    /// <param name="slots">The engine's adapter slots (null without LoRA), which keep the members' adapters in every batch.</param>
    public SteadyDecoders(int blockTokens, AdapterSlots? slots, EngineRecorder recorder)
    {
        if (blockTokens is < 0 or > MaxBlockTokens) throw new ArgumentOutOfRangeException(nameof(blockTokens));
        _blockTokens = blockTokens;
        _opening = new int[Math.Max(1, blockTokens)];
        _slots = slots;
        _recorder = recorder;
    }

    /// <summary>Members: the first entries of the running list.</summary>
    public int Count { get; private set; }

    /// <summary>KV tokens the members hold now, summed.</summary>
    public long HeldTokens { get; private set; }

    /// <summary>When the last step ended: every member's last token.</summary>
    public double LastStepMs { get; private set; } = double.NaN;


    /// <summary>KV blocks the members open in the step being formed (each opens one when its tokens fill its last block).</summary>
    public int OpeningThisStep => _blockTokens == 0 ? 0 : _opening[(int)(_steps % _blockTokens)];

    /// <summary>
    /// Whether the running request right after the members can join them: it emitted a token in the step that just ended,
    /// decodes next, holds no swapped or borrowed KV, and (paged) exactly the blocks its tokens need.
    /// </summary>
    public bool CanJoin(EngineRequestState s) =>
        !s.InPrefill && !s.Finished && s.LastTokenMs == LastStepMs && s.SwappedTokens == 0 && s.RemoteUnits == 0 &&
        (_blockTokens == 0 || s.Units == (s.HeldTokens + _blockTokens - 1) / _blockTokens);

    public void Join(EngineRequestState s)
    {
        s.SteadySince = _steps;
        s.SteadyWindowBase = _windowSteps;
        Count++;
        HeldTokens += s.HeldTokens;
        // It opens a block at the step formed after A steps when HeldTokens + (A - since) is a multiple of the block.
        if (_blockTokens > 0) _opening[Slot(s)]++;
        _finishing.Enqueue(s, _steps + s.Request.OutputTokens - s.Generated);
        _slots?.SteadyJoin(s.Request.Adapter);
    }

    /// <summary>A step ended at <paramref name="nowMs"/>: every member decoded one token (the engine counts the totals).</summary>
    public void Advance(double nowMs, bool inWindow)
    {
        _steps++;
        HeldTokens += Count;
        if (inWindow) _windowSteps++;
        LastStepMs = nowMs;
    }

    /// <summary>A member whose last token came in the step that just ended, settled and out of the members; null when none.</summary>
    public EngineRequestState? TakeFinished()
    {
        if (!_finishing.TryPeek(out var s, out var at)) return null;
        if (at < _steps) throw new InvalidOperationException($"request {s.Request.Id} outlived its last token (a steady-decoder bug)");
        if (at > _steps) return null;
        _finishing.Dequeue();
        Leave(s);
        return s;
    }

    /// <summary>Settles every member and makes them plain running requests again (a step they would not all decode in).</summary>
    public void Dissolve(List<EngineRequestState> running)
    {
        for (var i = 0; i < Count; i++)
        {
            var s = running[i];
            Settle(s);
            s.SteadySince = -1;
            _slots?.SteadyLeave(s.Request.Adapter);
        }
        Count = 0;
        HeldTokens = 0;
        Array.Clear(_opening);
        _finishing.Clear();
    }

    /// <summary>Brings every member's fields up to date without changing who is a member (before an invariant check).</summary>
    public void SettleAll(List<EngineRequestState> running)
    {
        for (var i = 0; i < Count; i++) Settle(running[i]);
    }

    private void Leave(EngineRequestState s)
    {
        Settle(s);
        if (_blockTokens > 0) _opening[Slot(s)]--;
        HeldTokens -= s.HeldTokens;
        Count--;
        _slots?.SteadyLeave(s.Request.Adapter);
        s.SteadySince = -1;
    }

    /// <summary>Writes the member's tokens, blocks, last token time and tokens served in the window as of now; rebases it here.</summary>
    private void Settle(EngineRequestState s)
    {
        var steps = _steps - s.SteadySince;
        if (steps > 0)
        {
            s.HeldTokens += steps;
            s.Generated += (int)steps;
            s.LastTokenMs = LastStepMs;
            if (_blockTokens > 0) s.Units = (s.HeldTokens + _blockTokens - 1) / _blockTokens;
        }
        _recorder.EmittedInWindow(s.Request.Adapter, _windowSteps - s.SteadyWindowBase);
        s.SteadySince = _steps;
        s.SteadyWindowBase = _windowSteps;
    }

    // Rebasing keeps SteadySince - HeldTokens, so a member stays in one slot.
    private int Slot(EngineRequestState s) => (int)(((s.SteadySince - s.HeldTokens) % _blockTokens + _blockTokens) % _blockTokens);
}
