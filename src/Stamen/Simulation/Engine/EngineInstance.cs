namespace Stamen.Simulation.Engine;

/// <summary>
/// One engine instance, iteration by iteration: the policy's <see cref="IBatchScheduler"/> forms the
/// batch (running requests in admission order, then waiting ones, within the token budget, batch
/// size, adapter slots and KV memory), the step is timed, and at its end tokens are emitted and
/// finished requests freed. Arrivals at or before an iteration's start join it; one arriving during a
/// step waits for the next, as in a real engine whose batch is fixed per step. The cluster drives it
/// through <see cref="Enqueue"/> and <see cref="OnEvent"/>; the scheduler acts on it through
/// <see cref="IEngineStep"/>.
/// </summary>
internal sealed class EngineInstance : IEngineInstanceView, IEngineStep
{
    private readonly EngineDeployment _deployment;
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
    private readonly DistAttention _distAttention;

    private readonly LinkedList<EngineRequestState> _waiting = new();
    private readonly List<EngineRequestState> _running = [];
    private readonly List<(EngineRequestState State, int Tokens, bool Prefill)> _batch = [];

    private bool _stepping;
    private double _stepMs;
    private long _unitsInUse;
    private long _heldTokens;

    public EngineInstance(int index, EngineDeployment deployment, EnginePolicy policy, KvPools pools, EngineRecorder recorder, bool check)
    {
        Index = index;
        _deployment = deployment;
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
        _distAttention = new DistAttention(_config, deployment.DistKv);
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
    public double RemoteAttentionMs { get; private set; }
    public long AdapterLoads => _slots?.Loads ?? 0;

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
        _slots?.BeginBatch();
        _scheduler.Form(this);
        if (_batch.Count == 0)
        {
            // Only a lender can be stuck: its waiting requests need memory it has lent out. It sleeps until someone frees KV.
            if (!_policy.LendsKv || _running.Count > 0) throw new InvalidOperationException("engine scheduled nothing with work pending (a policy bug)");
            BlockedSinceRelease = _pools.Releases;
            NextEventMs = double.PositiveInfinity;
            return;
        }
        BlockedSinceRelease = -1;
        var stepMs = StepMs(Shape());
        if (!(stepMs > 0) || !double.IsFinite(stepMs)) throw new InvalidOperationException($"step time {stepMs} ms is not positive");
        _stepMs = stepMs;
        _stepping = true;
        NextEventMs = nowMs + stepMs;
    }

    private long SlotTokensInUse => _paged ? _unitsInUse * _block : _unitsInUse;

    private double StepMs(IterationShape shape)
    {
        var ms = _deployment.StepTime.StepMs(shape);
        if (_slots is { } slots)
        {
            ms = ms * slots.StepMultiplier() + slots.LoadBatchAdapters();
            if (_check) slots.Check();
            if (_deployment.Lora!.SchedulerOverhead is { } overhead)
                ms += overhead.Ms(_running.Count, _waiting.Count, _deployment.Lora.MaxLoras, _deployment.Lora.Adapters.Count);
        }
        ms += _swap.StepMs;
        if (_policy.LendsKv)
        {
            var remoteQueries = 0L;
            foreach (var (s, tokens, _) in _batch)
                if (s.RemoteUnits > 0) remoteQueries += tokens;
            var remote = _distAttention.StepMs(remoteQueries);
            RemoteAttentionMs += remote;
            ms += remote;
        }
        return ms;
    }

    /// <summary>The batch's shape for the step-time model: prefill tokens, decodes and the context they attend to.</summary>
    private IterationShape Shape()
    {
        long prefillTokens = 0, contextTokens = 0;
        var decodes = 0;
        foreach (var (s, tokens, prefill) in _batch)
        {
            if (prefill) prefillTokens += tokens;
            else
            {
                decodes++;
                contextTokens += s.HeldTokens + 1;
            }
        }
        return new IterationShape((int)prefillTokens, decodes, contextTokens, _batch.Count, _running.Count);
    }

    // IEngineStep: what the scheduler sees and does while it forms a batch.
    EngineConfig IEngineStep.Config => _config;
    IReadOnlyList<EngineRequestState> IEngineStep.Running => _running;
    LinkedListNode<EngineRequestState>? IEngineStep.FirstWaiting => _waiting.First;
    long IEngineStep.AvailableUnits => _pools.Available(Index);
    long IEngineStep.MostUnitsEver => _pools.MostEver(Index);
    bool IEngineStep.CanSwapOut(long tokens) => _swap.Fits(tokens);
    bool IEngineStep.CanJoin(EngineRequestState s) => _slots?.CanJoin(s.Request.Adapter) ?? true;
    void IEngineStep.Allocate(EngineRequestState s, long units) => Allocate(s, units);

    void IEngineStep.AddToBatch(EngineRequestState s, long tokens, bool prefill)
    {
        _slots?.Join(s.Request.Adapter);
        _batch.Add((s, (int)tokens, prefill));
    }

    LinkedListNode<EngineRequestState>? IEngineStep.Admit(LinkedListNode<EngineRequestState> node)
    {
        var next = node.Next;
        _waiting.Remove(node);
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
    }

    private void Apply(double nowMs)
    {
        var anyFinished = false;
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
        if (anyFinished) _running.RemoveAll(s => s.Finished);
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
        long units = 0, remote = 0, held = 0;
        foreach (var s in _running)
        {
            units += s.Units;
            remote += s.RemoteUnits;
            held += s.HeldTokens;
            var slots = _paged ? s.Units * _block : s.Units;
            Require(s.HeldTokens <= slots, $"request {s.Request.Id} holds {s.HeldTokens} tokens in {slots} slots");
            if (_paged) Require(s.Units == CeilDiv(s.HeldTokens, _block) || s.InPrefill, $"request {s.Request.Id} holds more blocks than its tokens need");
            Require(s.Generated < s.Request.OutputTokens, $"finished request {s.Request.Id} still running");
            Require(s.SwappedTokens == 0, $"running request {s.Request.Id} still counts swapped tokens");
            if (!s.InPrefill) Require(s.HeldTokens == s.Request.PromptTokens + s.Generated - 1, $"request {s.Request.Id} KV {s.HeldTokens} disagrees with its tokens");
        }
        long swapped = 0;
        foreach (var s in _waiting)
        {
            Require(s.Units == 0 && s.HeldTokens == 0, $"waiting request {s.Request.Id} holds KV");
            swapped += s.SwappedTokens;
            if (s.SwappedTokens > 0) Require(!s.InPrefill && s.SwappedTokens == s.Request.PromptTokens + s.Generated - 1, $"swapped request {s.Request.Id} KV disagrees with its tokens");
        }
        Require(swapped == _swap.UsedTokens && _swap.UsedTokens <= _swap.CapacityTokens,
            $"swapped tokens {_swap.UsedTokens} disagree with the queue ({swapped}) or exceed swap space {_swap.CapacityTokens}");
        Require(units == _unitsInUse, $"units in use {_unitsInUse} but requests hold {units}");
        Require(held == _heldTokens, $"tokens held {_heldTokens} but requests hold {held}");
        Require(AllocatedUnits - FreedUnits == _unitsInUse, "allocated - freed differs from units in use");
        Require(_running.Count <= _config.MaxBatchSize, "running exceeds max batch size");
        _pools.Check(Index, units, remote);
        if (!_policy.LendsKv) Require(_heldTokens <= _config.KvCapacityTokens, $"{_heldTokens} KV tokens over capacity {_config.KvCapacityTokens}");
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition) throw new InvalidOperationException("engine invariant broken: " + problem);
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
