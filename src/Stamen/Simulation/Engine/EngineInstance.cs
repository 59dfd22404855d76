using System.Runtime.InteropServices;

namespace Stamen.Simulation.Engine;

/// <summary>
/// One engine instance, iteration by iteration: the policy's <see cref="IBatchScheduler"/> forms the
/// batch (running requests in admission order, then waiting ones, within the token budget, batch
/// size, adapter slots and KV memory), the step is timed, and at its end tokens are emitted and
/// finished requests freed. Arrivals at or before an iteration's start join it; one arriving during a
/// step waits for the next, as in a real engine whose batch is fixed per step. The cluster drives it
/// through <see cref="Enqueue"/> and <see cref="OnEvent"/>; the scheduler acts on it through
/// <see cref="IEngineStep"/>. Running requests that decode every step are advanced together
/// (<see cref="SteadyDecoders"/>), so a step costs what changes in it, not one pass per request.
/// </summary>
internal sealed class EngineInstance : IEngineInstanceView, IEngineStep
{
    private readonly EngineConfig _config;
    private readonly EnginePolicy _policy;
    private readonly IBatchScheduler _scheduler;
    private readonly KvPools _pools;
    private readonly EngineRecorder _recorder;
    private readonly AdapterSlots? _slots;
    private readonly bool _check;
    private readonly bool _paged;
    private readonly int _block;
    private readonly SwapSpace _swap;
    private readonly StepCost _cost;
    private readonly SteadyDecoders? _steady;

    private readonly LinkedList<EngineRequestState> _waiting = new();
    private readonly List<EngineRequestState> _running = [];
    private readonly List<(EngineRequestState State, int Tokens, bool Prefill)> _batch = [];

    private int _steadyInBatch;
    private bool _stepping;
    private double _stepMs;
    private long _unitsInUse;
    private long _heldTokens;

    /// <param name="steadyDecoders">Advance running requests that decode every step together (false: one by one, the reference the tests compare with).</param>
    public EngineInstance(int index, EngineDeployment deployment, EnginePolicy policy, KvPools pools, EngineRecorder recorder, bool check, bool steadyDecoders = true)
    {
        Index = index;
        _config = deployment.Config;
        _policy = policy;
        _scheduler = policy.CreateScheduler();
        _pools = pools;
        _recorder = recorder;
        _check = check;
        _paged = policy.Memory == KvMemoryMode.PagedOnDemand;
        _block = _config.BlockSizeTokens;
        _slots = deployment.Lora is { } lora ? new AdapterSlots(lora) : null;
        _swap = new SwapSpace(_config, policy.Preemption == PreemptionMode.Swap);
        _cost = new StepCost(deployment, _slots, _swap, policy.LendsKv, check);
        var blockTokens = _paged ? _block : 0;
        if (steadyDecoders && blockTokens <= SteadyDecoders.MaxBlockTokens)
            _steady = new SteadyDecoders(blockTokens, _slots, recorder);
    }

    public int Index { get; }

    /// <summary>When this instance next needs the clock: the end of its step, a wake-up at an arrival, or never when idle.</summary>
    public double NextEventMs { get; private set; } = double.PositiveInfinity;

    /// <summary>The pools' release count when this instance found nothing it could schedule, or -1 when not blocked.</summary>
    public long BlockedSinceRelease { get; private set; } = -1;

    /// <summary>Wakes a blocked instance at <paramref name="nowMs"/> to try again.</summary>
    public void Wake(double nowMs)
    {
        BlockedSinceRelease = -1;
        NextEventMs = Math.Min(NextEventMs, nowMs);
    }

    /// <summary>Requests routed here and not yet finished (waiting or running).</summary>
    public int Outstanding => _waiting.Count + _running.Count;

    public int Routed { get; private set; }
    public long AllocatedUnits { get; private set; }
    public long FreedUnits { get; private set; }
    public long PeakUnitsInUse { get; private set; }
    public long PrefillComputed { get; private set; }
    public long DecodeComputed { get; private set; }
    public int Preemptions { get; private set; }
    public int SwapOuts { get; private set; }
    public long Iterations { get; private set; }
    public double HeldIntegral { get; private set; }
    public double WasteIntegral { get; private set; }
    public double RemoteAttentionMs => _cost.RemoteAttentionMs;
    public long AdapterLoads => _slots?.Loads ?? 0;

    /// <summary>Decodes computed by steady decoders, advanced together (tests).</summary>
    public long SteadyDecodes { get; private set; }

    /// <summary>Steps in which the steady decoders did not all fit and went back to plain running requests (tests).</summary>
    public long SteadyDissolves { get; private set; }

    /// <summary>Whether the adapter sits in one of this instance's GPU slots now.</summary>
    public bool HasAdapterOnGpu(int adapter) => _slots?.IsOnGpu(adapter) ?? false;

    /// <summary>A routed arrival: rejected at once when it can never be served here, else queued (FCFS).</summary>
    public void Enqueue(EngineRequestState s, double nowMs)
    {
        s.Instance = Index;
        Routed++;
        var r = s.Request;
        if ((long)r.PromptTokens + r.OutputTokens > _config.MaxContextTokens || _scheduler.NeverFits(r, this))
        {
            s.Rejected = true;
            return;
        }
        _waiting.AddLast(s);
        _slots?.Waiting(r.Adapter, +1);
        if (!_stepping) NextEventMs = Math.Min(NextEventMs, nowMs);
    }

    /// <summary>At <see cref="NextEventMs"/>: finish the running step if any, then start the next one if there is work.</summary>
    public void OnEvent(double nowMs)
    {
        if (_stepping)
        {
            Apply(nowMs);
            Iterations++;
            HeldIntegral += _heldTokens * _stepMs;
            WasteIntegral += (SlotTokensInUse - _heldTokens) * _stepMs;
            PeakUnitsInUse = Math.Max(PeakUnitsInUse, _unitsInUse);
            _stepping = false;
            if (_check) CheckInvariants();
        }
        if (_running.Count == 0 && _waiting.Count == 0)
        {
            NextEventMs = double.PositiveInfinity;
            return;
        }
        _swap.BeginStep();
        _batch.Clear();
        _steadyInBatch = 0;
        _slots?.BeginBatch();
        _scheduler.Form(this);
        if (_batch.Count + _steadyInBatch == 0)
        {
            // Only a lender can be stuck: its waiting requests need memory it has lent out. It sleeps until someone frees KV.
            if (!_policy.LendsKv || _running.Count > 0) throw new InvalidOperationException("engine scheduled nothing with work pending (a policy bug)");
            BlockedSinceRelease = _pools.Releases;
            NextEventMs = double.PositiveInfinity;
            return;
        }
        BlockedSinceRelease = -1;
        _stepMs = _cost.Ms(_batch, _steadyInBatch, _steady?.HeldTokens ?? 0, _running.Count, _waiting.Count);
        _stepping = true;
        NextEventMs = nowMs + _stepMs;
    }

    private long SlotTokensInUse => _paged ? _unitsInUse * _block : _unitsInUse;

    // IEngineStep: what the scheduler sees and does while it forms a batch.
    EngineConfig IEngineStep.Config => _config;
    IReadOnlyList<EngineRequestState> IEngineStep.Running => _running;
    LinkedListNode<EngineRequestState>? IEngineStep.FirstWaiting => _waiting.First;
    long IEngineStep.AvailableUnits => _pools.Available(Index);
    long IEngineStep.MostUnitsEver => _pools.MostEver(Index);
    bool IEngineStep.CanSwapOut(long tokens) => _swap.Fits(tokens);
    bool IEngineStep.CanJoin(EngineRequestState s) => _slots?.CanJoin(s.Request.Adapter) ?? true;
    int IEngineStep.JoinableWaiting() => _slots?.JoinableWaiting() ?? -1;
    void IEngineStep.Allocate(EngineRequestState s, long units) => Allocate(s, units);

    int IEngineStep.BatchSteadyDecoders(ref long budget, bool chunkedPrefill)
    {
        if (_steady is not { Count: > 0 } steady) return 0;
        var opening = steady.OpeningThisStep;
        // The scheduler would stop among them when the budget runs out, skip those whose adapter finds no slot, or
        // preempt for blocks: then they go request by request again. So would blocks borrowed from another engine
        // (DistKV), owed per request and lender: steady decoders only open blocks of their own engine's cache.
        if ((chunkedPrefill && budget < steady.Count) || (_slots?.SteadyAdapters ?? 0) > (_slots?.MaxLoras ?? 0) ||
            _pools.FreeLocal(Index) < opening)
        {
            steady.Dissolve(_running);
            SteadyDissolves++;
            return 0;
        }
        if (opening > 0)
        {
            _pools.TakeLocal(Index, opening);
            _unitsInUse += opening;
            AllocatedUnits += opening;
        }
        if (chunkedPrefill) budget -= steady.Count;
        _steadyInBatch = steady.Count;
        return _steadyInBatch;
    }

    void IEngineStep.AddToBatch(EngineRequestState s, long tokens, bool prefill)
    {
        _slots?.Join(s.Request.Adapter);
        _batch.Add((s, (int)tokens, prefill));
    }

    LinkedListNode<EngineRequestState>? IEngineStep.Admit(LinkedListNode<EngineRequestState> node)
    {
        var next = node.Next;
        _waiting.Remove(node);
        _slots?.Waiting(node.Value.Request.Adapter, -1);
        // vLLM V1 appends to its running list: a request admitted late (skipped for an adapter slot,
        // or preempted and re-admitted) runs behind every request admitted before it, so its prefill
        // chunk cannot take the token budget from their decodes.
        _running.Add(node.Value);
        return next;
    }

    void IEngineStep.SwapIn(EngineRequestState s)
    {
        SetHeld(s, s.SwappedTokens);
        _swap.In(s.SwappedTokens);
        s.SwappedTokens = 0;
    }

    void IEngineStep.Preempt(EngineRequestState s, bool swap)
    {
        if (s.SteadySince >= 0) throw new InvalidOperationException($"steady decoder {s.Request.Id} preempted (the scheduler must skip them)");
        if (swap)
        {
            s.SwappedTokens = s.HeldTokens;
            _swap.Out(s.HeldTokens);
            SwapOuts++;
        }
        else s.InPrefill = true;
        Release(s);
        s.Preemptions++;
        Preemptions++;
        _running.Remove(s);
        _waiting.AddFirst(s);
        _slots?.Waiting(s.Request.Adapter, +1);
    }

    private void Apply(double nowMs)
    {
        var anyFinished = false;
        if (_steady is { } steady)
        {
            // The steady decoders come first in the batch; each adds one token of KV and one output token, after the same gap.
            if (_steadyInBatch != steady.Count) throw new InvalidOperationException("steady decoders changed within a step");
            if (_steadyInBatch > 0)
            {
                _recorder.ItlMs.AddRepeated(Math.Max(0, nowMs - steady.LastStepMs), _steadyInBatch);
                DecodeComputed += _steadyInBatch;
                SteadyDecodes += _steadyInBatch;
                _heldTokens += _steadyInBatch;
                _recorder.HeldTokens += _steadyInBatch;
            }
            steady.Advance(nowMs, nowMs <= _recorder.WindowEndMs);
            while (steady.TakeFinished() is { } done)
            {
                done.FinishMs = nowMs;
                Release(done);
                anyFinished = true;
            }
        }
        foreach (var (s, tokens, prefill) in _batch)
        {
            SetHeld(s, s.HeldTokens + tokens);
            if (prefill)
            {
                PrefillComputed += tokens;
                if (s.HeldTokens < s.PrefillTarget) continue;
                s.InPrefill = false;
            }
            else DecodeComputed++;
            s.Generated++;
            var first = s.Generated == 1;
            if (first) s.FirstTokenMs = nowMs;
            else _recorder.ItlMs.Add(Math.Max(0, nowMs - s.LastTokenMs));
            _recorder.Emitted(s, nowMs, first);
            s.LastTokenMs = nowMs;
            if (s.Finished)
            {
                s.FinishMs = nowMs;
                Release(s);
                anyFinished = true;
            }
        }
        if (anyFinished) RemoveFinished();
        if (_steady is { } members)
            while (members.Count < _running.Count && members.CanJoin(_running[members.Count])) members.Join(_running[members.Count]);
    }

    /// <summary>Drops finished requests from the running list, keeping its order: one pass, no delegate (it runs most steps).</summary>
    private void RemoveFinished()
    {
        var running = CollectionsMarshal.AsSpan(_running);
        var kept = 0;
        for (var i = 0; i < running.Length; i++)
        {
            var s = running[i];
            if (s.Generated == s.Request.OutputTokens) continue;
            running[kept++] = s;
        }
        running[kept..].Clear();
        CollectionsMarshal.SetCount(_running, kept);
    }

    private void SetHeld(EngineRequestState s, long tokens)
    {
        var delta = tokens - s.HeldTokens;
        s.HeldTokens = tokens;
        _heldTokens += delta;
        _recorder.HeldTokens += delta;
    }

    private void Allocate(EngineRequestState s, long units)
    {
        _pools.Take(Index, s, units);
        _unitsInUse += units;
        AllocatedUnits += units;
    }

    private void Release(EngineRequestState s)
    {
        _unitsInUse -= s.Units;
        FreedUnits += s.Units;
        SetHeld(s, 0);
        _pools.Release(Index, s);
    }

    private void CheckInvariants()
    {
        _steady?.SettleAll(_running);
        var (units, remote) = EngineInvariants.Check(_running, _waiting, _config, _paged, _swap,
            new EngineInvariants.Totals(_unitsInUse, _heldTokens, AllocatedUnits - FreedUnits), checkCapacity: !_policy.LendsKv);
        _pools.Check(Index, units, remote);
    }
}
