namespace Stamen.Simulation.Engine;

/// <summary>
/// One engine instance, iteration by iteration: admit arrivals (FCFS), schedule running requests first
/// (in admission order, as vLLM V1 keeps its running list) then waiting ones within the token
/// budget, batch size, adapter slots and KV memory,
/// time the step, then at the step's end emit tokens, finish and free. Arrivals at or before an
/// iteration's start join it; one arriving during a step waits for the next, as in a real engine whose
/// batch is fixed per step. The cluster drives it through <see cref="Enqueue"/> and <see cref="OnEvent"/>.
/// </summary>
internal sealed class EngineInstance : IEngineInstanceView
{
    private readonly EngineDeployment _deployment;
    private readonly EngineConfig _config;
    private readonly EnginePolicy _policy;
    private readonly KvPools _pools;
    private readonly EngineRecorder _recorder;
    private readonly AdapterSlots? _slots;
    private readonly bool _check;
    private readonly bool _paged;
    private readonly int _block;
    private readonly long _watermarkBlocks;
    private readonly long _swapCapacityTokens;
    private readonly double _swapMsPerToken;
    private readonly double _remoteRoundTripsMs;
    private readonly double _remoteMsPerQueryToken;

    private readonly LinkedList<EngineRequestState> _waiting = new();
    private readonly List<EngineRequestState> _running = [];
    private readonly List<(EngineRequestState State, int Tokens, bool Prefill)> _batch = [];

    private bool _stepping;
    private double _stepMs;
    private long _swapTokensThisStep;
    private long _unitsInUse;
    private long _heldTokens;
    private long _swappedTokens;

    public EngineInstance(int index, EngineDeployment deployment, EnginePolicy policy, KvPools pools, EngineRecorder recorder, bool check)
    {
        Index = index;
        _deployment = deployment;
        _config = deployment.Config;
        _policy = policy;
        _pools = pools;
        _recorder = recorder;
        _check = check;
        _paged = policy.Memory == KvMemoryMode.PagedOnDemand;
        _block = _config.BlockSizeTokens;
        _watermarkBlocks = _paged ? (long)(_config.KvCapacityBlocks * _config.WatermarkFraction) : 0;
        _slots = deployment.Lora is { } lora ? new AdapterSlots(lora) : null;
        _swapCapacityTokens = policy.Preemption == PreemptionMode.Swap ? (long)Math.Floor(_config.SwapSpaceBytes / _config.KvBytesPerToken) : 0;
        _swapMsPerToken = _config.KvBytesPerToken / (_config.PcieBytesPerSec / 1000.0);
        var model = _config.Model;
        var net = deployment.DistKv;
        // DistAttention per layer: the query goes to the lender and the partial output with its softmax max and sum (fp32 per head) comes back.
        var bytesPerQueryToken = 2.0 * model.HiddenSize * 2 + model.NumHeads * 2 * 4.0;
        _remoteRoundTripsMs = model.NumBlocks * net.LinkRttMs;
        _remoteMsPerQueryToken = model.NumBlocks * bytesPerQueryToken / (net.LinkBytesPerSec / 1000.0);
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
        var total = (long)r.PromptTokens + r.OutputTokens;
        // The last output token's KV is never written: at most prompt + output - 1 tokens are cached.
        var neverFits = _paged
            ? CeilDiv(total - 1, _block) > _pools.MostEver(Index)
            : _policy.ReservedTokens(r, _config) > _pools.Capacity(Index);
        if (total > _config.MaxContextTokens || neverFits)
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
        _swapTokensThisStep = 0;
        var shape = BuildBatch();
        if (_batch.Count == 0)
        {
            // Only a lender can be stuck: its waiting requests need memory it has lent out. It sleeps until someone frees KV.
            if (!_policy.LendsKv || _running.Count > 0) throw new InvalidOperationException("engine scheduled nothing with work pending (a policy bug)");
            BlockedSinceRelease = _pools.Releases;
            NextEventMs = double.PositiveInfinity;
            return;
        }
        BlockedSinceRelease = -1;
        var stepMs = StepMs(shape);
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
        }
        ms += _swapTokensThisStep * _swapMsPerToken;
        if (_policy.LendsKv)
        {
            var remoteQueries = 0L;
            foreach (var (s, tokens, _) in _batch)
                if (s.RemoteUnits > 0) remoteQueries += tokens;
            if (remoteQueries > 0)
            {
                var remote = _remoteRoundTripsMs + remoteQueries * _remoteMsPerQueryToken;
                RemoteAttentionMs += remote;
                ms += remote;
            }
        }
        return ms;
    }

    private IterationShape BuildBatch()
    {
        _batch.Clear();
        _slots?.BeginBatch();
        var chunked = _policy.ChunkedPrefill;
        var budget = (long)_config.TokenBudgetPerIteration;
        var preemptionsBefore = Preemptions;
        var prefillTokens = 0L;
        var decodes = 0;
        var contextTokens = 0L;

        for (var i = 0; i < _running.Count; i++)
        {
            var s = _running[i];
            if (_slots is { } slots && !slots.CanJoin(s.Request.Adapter)) continue;
            long chunk;
            if (s.InPrefill)
            {
                chunk = Math.Min(s.PrefillTarget - s.HeldTokens, budget);
                if (chunk <= 0) continue;
            }
            else
            {
                if (chunked && budget < 1) break;
                chunk = 1;
            }
            // vLLM V1: a running request gets blocks for all it computes this step, preempting the newest until they fit;
            // when it is itself the newest left, nothing after it can be scheduled either.
            if (_paged)
            {
                var need = CeilDiv(s.HeldTokens + chunk, _block) - s.Units;
                if (need > 0)
                {
                    if (!MakeRoomFor(s, need)) break;
                    Allocate(s, need);
                }
            }
            AddToBatch(s, chunk, s.InPrefill);
            if (s.InPrefill) prefillTokens += chunk;
            else
            {
                decodes++;
                contextTokens += s.HeldTokens + 1;
            }
            if (s.InPrefill || chunked) budget -= chunk;
        }

        // vLLM V1 admits nothing from the queue in a step that had to preempt: memory is short, and a newcomer would only be preempted next.
        var node = Preemptions == preemptionsBefore ? _waiting.First : null;
        while (node is not null && _running.Count < _config.MaxBatchSize)
        {
            var s = node.Value;
            if (_slots is { } slots && !slots.CanJoin(s.Request.Adapter))
            {
                node = node.Next;
                continue;
            }
            if (s.SwappedTokens > 0)
            {
                if (chunked && budget < 1) break;
                var need = CeilDiv(s.SwappedTokens + 1, _block);
                if (_pools.Available(Index) < need) break;
                Allocate(s, need);
                SetHeld(s, s.SwappedTokens);
                _swappedTokens -= s.SwappedTokens;
                _swapTokensThisStep += s.SwappedTokens;
                s.SwappedTokens = 0;
                node = Admit(node);
                AddToBatch(s, 1, false);
                decodes++;
                contextTokens += s.HeldTokens + 1;
                if (chunked) budget--;
                continue;
            }
            long chunk;
            if (chunked)
            {
                chunk = Math.Min(s.PrefillTarget, budget);
                if (chunk <= 0) break;
            }
            else
            {
                chunk = s.PrefillTarget;
                if (prefillTokens > 0 && prefillTokens + chunk > budget) break;
            }
            if (_paged)
            {
                // Blocks for the whole prompt are taken at admission, chunked or not (vLLM V0's block manager): a prompt
                // admitted on its first chunk alone would preempt others, or itself, for the next chunk and start over.
                // Admission also leaves vLLM's watermark of blocks free for running requests to grow into (with nothing
                // running there is nobody to protect, and a request as large as the cache must still get in).
                var need = CeilDiv(s.PrefillTarget, _block);
                if (_pools.Available(Index) - (_running.Count > 0 ? _watermarkBlocks : 0) < need) break;
                Allocate(s, need);
            }
            else
            {
                var reserve = _policy.ReservedTokens(s.Request, _config);
                if (_pools.Available(Index) < reserve) break;
                Allocate(s, reserve);
            }
            node = Admit(node);
            AddToBatch(s, chunk, true);
            prefillTokens += chunk;
            budget -= chunk;
        }
        return new IterationShape((int)prefillTokens, decodes, contextTokens, _batch.Count);
    }

    private void AddToBatch(EngineRequestState s, long tokens, bool prefill)
    {
        _slots?.Join(s.Request.Adapter);
        _batch.Add((s, (int)tokens, prefill));
    }

    /// <summary>Moves a waiting request into the running queue; returns the next waiting node.</summary>
    private LinkedListNode<EngineRequestState>? Admit(LinkedListNode<EngineRequestState> node)
    {
        var next = node.Next;
        _waiting.Remove(node);
        // vLLM V1 appends to its running list: a request admitted late (skipped for an adapter slot,
        // or preempted and re-admitted) runs behind every request admitted before it, so its prefill
        // chunk cannot take the token budget from their decodes.
        _running.Add(node.Value);
        return next;
    }

    /// <summary>
    /// vLLM's preemption: while fewer than <paramref name="blocks"/> are free, preempt the running request admitted last.
    /// False when that is <paramref name="s"/> itself; being scanned in admission order, nothing later is left to schedule then.
    /// </summary>
    private bool MakeRoomFor(EngineRequestState s, long blocks)
    {
        while (_pools.Available(Index) < blocks)
        {
            var victim = _running[^1];
            Preempt(victim);
            if (ReferenceEquals(victim, s)) return false;
        }
        return true;
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

    /// <summary>Swap out a decoding request while swap space lasts (swap policies), else drop its KV for recompute; it goes to the front of the queue.</summary>
    private void Preempt(EngineRequestState s)
    {
        if (_policy.Preemption == PreemptionMode.Swap && !s.InPrefill && _swappedTokens + s.HeldTokens <= _swapCapacityTokens)
        {
            s.SwappedTokens = s.HeldTokens;
            _swappedTokens += s.HeldTokens;
            _swapTokensThisStep += s.HeldTokens;
            SwapOuts++;
        }
        else s.InPrefill = true;
        Release(s);
        s.Preemptions++;
        Preemptions++;
        _running.Remove(s);
        _waiting.AddFirst(s);
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
        Require(swapped == _swappedTokens && _swappedTokens <= _swapCapacityTokens, $"swapped tokens {_swappedTokens} disagree with the queue ({swapped}) or exceed swap space {_swapCapacityTokens}");
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
