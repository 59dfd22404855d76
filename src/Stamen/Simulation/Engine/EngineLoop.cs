namespace Stamen.Simulation.Engine;

/// <summary>One request's mutable state inside the loop.</summary>
internal sealed class EngineRequestState(EngineRequest request, int order)
{
    public EngineRequest Request { get; } = request;

    /// <summary>Position in (arrival, id) order: the running queue is kept sorted by it, so the newest is last.</summary>
    public int Order { get; } = order;

    /// <summary>KV tokens cached now.</summary>
    public long HeldTokens { get; set; }

    /// <summary>Memory units held: blocks (paged) or reserved tokens (ORCA).</summary>
    public long Units { get; set; }

    public int Generated { get; set; }

    /// <summary>Computing its prompt (plus already generated tokens after a preemption) rather than decoding.</summary>
    public bool InPrefill { get; set; } = true;

    public int Preemptions { get; set; }
    public double FirstTokenMs { get; set; } = double.NaN;
    public double LastTokenMs { get; set; } = double.NaN;
    public double FinishMs { get; set; } = double.NaN;
    public bool Rejected { get; set; }

    /// <summary>Tokens whose KV the current prefill must compute: the prompt and what was already generated.</summary>
    public long PrefillTarget => (long)Request.PromptTokens + Generated;

    public bool Finished => Generated == Request.OutputTokens;
}

/// <summary>
/// The iteration loop: admit arrivals (FCFS), schedule running requests first (oldest first) then
/// waiting ones within the token budget, batch size and KV memory, time the step, advance the clock,
/// emit tokens, finish and free. Arrivals at or before the iteration's start join it; an arrival
/// during a step waits for the next iteration, as in a real engine whose batch is fixed per step.
/// </summary>
internal sealed class EngineLoop
{
    private readonly EngineConfig _config;
    private readonly EnginePolicy _policy;
    private readonly IStepTimeModel _stepTime;
    private readonly EngineRequestState[] _states;
    private readonly EngineRequestState[] _byArrival;
    private readonly bool _check;
    private readonly bool _paged;
    private readonly long _capacityUnits;
    private readonly int _block;

    private readonly LinkedList<EngineRequestState> _waiting = new();
    private readonly List<EngineRequestState> _running = [];
    private readonly List<(EngineRequestState State, int Tokens, bool Prefill)> _batch = [];
    private readonly List<double> _itlMs;

    private long _unitsInUse;
    private long _allocated;
    private long _freed;
    private long _peak;
    private long _heldTokens;
    private long _prefillComputed;
    private long _decodeComputed;
    private int _preemptions;
    private long _iterations;
    private double _heldIntegral;
    private double _wasteIntegral;

    public EngineLoop(EngineConfig config, EnginePolicy policy, IStepTimeModel stepTime, IReadOnlyList<EngineRequest> requests, bool check)
    {
        _config = config;
        _policy = policy;
        _stepTime = stepTime;
        _check = check;
        _paged = policy.Memory == KvMemoryMode.PagedOnDemand;
        _block = config.BlockSizeTokens;
        _capacityUnits = _paged ? config.KvCapacityBlocks : config.KvCapacityTokens;
        var sorted = requests.Select((r, i) => (r, i)).OrderBy(x => x.r.ArrivalMs).ThenBy(x => x.r.Id).ThenBy(x => x.i).ToArray();
        _itlMs = new List<double>((int)Math.Min(int.MaxValue / 2, requests.Sum(r => (long)r.OutputTokens)));
        _states = new EngineRequestState[requests.Count];
        _byArrival = new EngineRequestState[requests.Count];
        for (var k = 0; k < sorted.Length; k++)
        {
            var s = new EngineRequestState(sorted[k].r, k);
            _byArrival[k] = s;
            _states[sorted[k].i] = s;
        }
    }

    private EngineAccounting Accounting => new(_allocated, _freed, _peak, _capacityUnits, _prefillComputed, _decodeComputed);

    public EngineRunResult Run()
    {
        var next = 0;
        var start = _byArrival.Length > 0 ? _byArrival[0].Request.ArrivalMs : 0.0;
        var now = start;
        while (true)
        {
            while (next < _byArrival.Length && _byArrival[next].Request.ArrivalMs <= now) Arrive(_byArrival[next++]);
            if (_running.Count == 0 && _waiting.Count == 0)
            {
                if (next >= _byArrival.Length) break;
                now = _byArrival[next].Request.ArrivalMs;
                continue;
            }
            var shape = BuildBatch();
            if (_batch.Count == 0) throw new InvalidOperationException("engine scheduled nothing with work pending (a policy bug)");
            var stepMs = _stepTime.StepMs(shape);
            if (!(stepMs > 0) || !double.IsFinite(stepMs)) throw new InvalidOperationException($"step time {stepMs} ms is not positive");
            now += stepMs;
            Apply(now);
            _iterations++;
            _heldIntegral += _heldTokens * stepMs;
            _wasteIntegral += (SlotTokensInUse - _heldTokens) * stepMs;
            _peak = Math.Max(_peak, _unitsInUse);
            if (_check) CheckInvariants();
        }
        return EngineMetricsBuilder.Build(_policy.Name, _states, _itlMs, start, _preemptions, _iterations,
            _heldIntegral, _wasteIntegral, _config.KvCapacityTokens, Accounting);
    }

    private long SlotTokensInUse => _paged ? _unitsInUse * _block : _unitsInUse;

    private void Arrive(EngineRequestState s)
    {
        var r = s.Request;
        var total = (long)r.PromptTokens + r.OutputTokens;
        // The last output token's KV is never written: at most prompt + output - 1 tokens are cached.
        var neverFits = _paged
            ? CeilDiv(total - 1, _block) > _capacityUnits
            : _policy.ReservedTokens(r, _config) > _capacityUnits;
        if (total > _config.MaxContextTokens || neverFits) s.Rejected = true;
        else _waiting.AddLast(s);
    }

    private IterationShape BuildBatch()
    {
        _batch.Clear();
        var chunked = _policy.ChunkedPrefill;
        var budget = (long)_config.TokenBudgetPerIteration;
        var prefillTokens = 0L;
        var decodes = 0;
        var contextTokens = 0L;

        for (var i = 0; i < _running.Count; i++)
        {
            var s = _running[i];
            if (s.InPrefill)
            {
                var chunk = Math.Min(s.PrefillTarget - s.HeldTokens, budget);
                if (chunk <= 0) continue;
                // A partial prefill with no room left would wait forever if every running request did the same.
                if (_paged && s.HeldTokens == s.Units * _block && !MakeRoomForOneBlock(s)) break;
                chunk = GrowUpTo(s, chunk);
                if (chunk <= 0) continue;
                _batch.Add((s, (int)chunk, true));
                prefillTokens += chunk;
                budget -= chunk;
                continue;
            }
            if (chunked && budget < 1) break;
            if (_paged && s.HeldTokens + 1 > s.Units * _block)
            {
                if (!MakeRoomForOneBlock(s)) break;
                Allocate(s, 1);
            }
            _batch.Add((s, 1, false));
            decodes++;
            contextTokens += s.HeldTokens + 1;
            if (chunked) budget--;
        }

        while (_waiting.First is { } node && _running.Count < _config.MaxBatchSize)
        {
            var s = node.Value;
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
                var free = (_capacityUnits - _unitsInUse) * _block;
                if (free < chunk)
                {
                    if (!chunked || free <= 0) break;
                    chunk = free;
                }
                Allocate(s, CeilDiv(chunk, _block));
            }
            else
            {
                var reserve = _policy.ReservedTokens(s.Request, _config);
                if (_unitsInUse + reserve > _capacityUnits) break;
                Allocate(s, reserve);
            }
            _waiting.RemoveFirst();
            InsertRunning(s);
            _batch.Add((s, (int)chunk, true));
            prefillTokens += chunk;
            budget -= chunk;
        }
        return new IterationShape((int)prefillTokens, decodes, contextTokens, _batch.Count);
    }

    /// <summary>
    /// vLLM's recompute preemption: while no block is free, preempt the newest running request.
    /// False when that is <paramref name="s"/> itself; being scanned oldest first, nothing newer is left to schedule then.
    /// </summary>
    private bool MakeRoomForOneBlock(EngineRequestState s)
    {
        while (_unitsInUse >= _capacityUnits)
        {
            var victim = _running[^1];
            Preempt(victim);
            if (ReferenceEquals(victim, s)) return false;
        }
        return true;
    }

    /// <summary>For a running prefill: the part of <paramref name="chunk"/> that fits in memory, allocating blocks for it (never preempts).</summary>
    private long GrowUpTo(EngineRequestState s, long chunk)
    {
        if (chunk <= 0 || !_paged) return chunk;
        var slack = s.Units * _block - s.HeldTokens + (_capacityUnits - _unitsInUse) * _block;
        chunk = Math.Min(chunk, slack);
        var need = CeilDiv(s.HeldTokens + chunk, _block) - s.Units;
        if (need > 0) Allocate(s, need);
        return chunk;
    }

    private void Apply(double now)
    {
        var anyFinished = false;
        foreach (var (s, tokens, prefill) in _batch)
        {
            s.HeldTokens += tokens;
            _heldTokens += tokens;
            if (prefill)
            {
                _prefillComputed += tokens;
                if (s.HeldTokens < s.PrefillTarget) continue;
                s.InPrefill = false;
            }
            else _decodeComputed++;
            s.Generated++;
            if (s.Generated == 1) s.FirstTokenMs = now;
            else _itlMs.Add(now - s.LastTokenMs);
            s.LastTokenMs = now;
            if (s.Finished)
            {
                s.FinishMs = now;
                Release(s);
                anyFinished = true;
            }
        }
        if (anyFinished) _running.RemoveAll(s => s.Finished);
    }

    private void Preempt(EngineRequestState s)
    {
        Release(s);
        s.InPrefill = true;
        s.Preemptions++;
        _preemptions++;
        _running.Remove(s);
        _waiting.AddFirst(s);
    }

    private void Allocate(EngineRequestState s, long units)
    {
        s.Units += units;
        _unitsInUse += units;
        _allocated += units;
    }

    private void Release(EngineRequestState s)
    {
        _unitsInUse -= s.Units;
        _freed += s.Units;
        _heldTokens -= s.HeldTokens;
        s.Units = 0;
        s.HeldTokens = 0;
    }

    private void InsertRunning(EngineRequestState s)
    {
        var i = _running.Count;
        while (i > 0 && _running[i - 1].Order > s.Order) i--;
        _running.Insert(i, s);
    }

    private void CheckInvariants()
    {
        long units = 0, held = 0;
        foreach (var s in _running)
        {
            units += s.Units;
            held += s.HeldTokens;
            var slots = _paged ? s.Units * _block : s.Units;
            Require(s.HeldTokens <= slots, $"request {s.Request.Id} holds {s.HeldTokens} tokens in {slots} slots");
            if (_paged) Require(s.Units == CeilDiv(s.HeldTokens, _block) || s.InPrefill, $"request {s.Request.Id} holds more blocks than its tokens need");
            Require(s.Generated < s.Request.OutputTokens, $"finished request {s.Request.Id} still running");
            if (!s.InPrefill) Require(s.HeldTokens == s.Request.PromptTokens + s.Generated - 1, $"request {s.Request.Id} KV {s.HeldTokens} disagrees with its tokens");
        }
        foreach (var s in _waiting) Require(s.Units == 0 && s.HeldTokens == 0, $"waiting request {s.Request.Id} holds KV");
        Require(units == _unitsInUse, $"units in use {_unitsInUse} but requests hold {units}");
        Require(held == _heldTokens, $"tokens held {_heldTokens} but requests hold {held}");
        Require(_unitsInUse <= _capacityUnits, $"{_unitsInUse} units in use over capacity {_capacityUnits}");
        Require(_heldTokens <= _config.KvCapacityTokens, $"{_heldTokens} KV tokens over capacity {_config.KvCapacityTokens}");
        Require(_allocated - _freed == _unitsInUse, "allocated - freed differs from units in use");
        Require(_running.Count <= _config.MaxBatchSize, "running exceeds max batch size");
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition) throw new InvalidOperationException("engine invariant broken: " + problem);
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
