namespace Stamen.Simulation.Engine;

/// <summary>
/// One instance's LoRA adapters in memory: <c>max_loras</c> GPU slots and a CPU cache, both least recently
/// used. Each iteration the scheduler admits adapters to the batch (at most max_loras distinct); before the
/// step runs, every batch adapter not on the GPU is loaded into the slot of the least recently used adapter
/// outside the batch, at the published CPU-to-GPU cost for its rank (plus a disk load when the CPU cache misses).
/// The adapters of the engine's steady decoders (<see cref="SteadyDecoders"/>) stay in every batch until their last
/// member leaves, so a step touches only the adapters that change: they are on the GPU already (nothing to load) and,
/// in every batch, count as used at every step (their use stamps are written when they leave).
/// </summary>
internal sealed class AdapterSlots
{
    private readonly LoraEngineSettings _settings;
    private readonly long[] _gpuLastUse;
    private readonly long[] _cpuLastUse;
    private readonly bool[] _onGpu;
    private readonly bool[] _onCpu;
    private readonly int[] _inBatch; // requests of the adapter joined this step, besides steady decoders
    private readonly List<int> _joined = []; // adapters with requests joined this step, in the order they joined
    private int _joinedNotSteady;
    private readonly int[] _steady; // steady decoders per adapter (in every batch)
    private int _steadyAdapters;
    private int _steadyWaiting; // waiting requests of steady adapters
    private readonly int[] _waiting; // waiting requests per adapter
    private int _waitingWithoutAdapter;
    private readonly List<int> _gpuResident = [];
    private readonly List<int> _cpuResident = [];
    private long _stamp;

    public AdapterSlots(LoraEngineSettings settings)
    {
        _settings = settings;
        var n = settings.Adapters.Count;
        _gpuLastUse = new long[n];
        _cpuLastUse = new long[n];
        _onGpu = new bool[n];
        _onCpu = new bool[n];
        _inBatch = new int[n];
        _steady = new int[n];
        _waiting = new int[n];
        if (settings.MaxCpuLoras is null)
        {
            Array.Fill(_onCpu, true);
            _cpuResident.AddRange(Enumerable.Range(0, n));
        }
    }

    public int MaxLoras => _settings.MaxLoras;

    /// <summary>Distinct adapters in the batch being built.</summary>
    public int DistinctInBatch => _steadyAdapters + _joinedNotSteady;

    /// <summary>Distinct adapters of the steady decoders.</summary>
    public int SteadyAdapters => _steadyAdapters;

    /// <summary>Adapter loads (CPU to GPU) so far.</summary>
    public long Loads { get; private set; }

    /// <summary>Whether the adapter is in a GPU slot now.</summary>
    public bool IsOnGpu(int adapter) => adapter >= 0 && _onGpu[adapter];

    /// <summary>Starts a new batch (holding the steady decoders' adapters).</summary>
    public void BeginBatch()
    {
        foreach (var a in _joined) _inBatch[a] = 0;
        _joined.Clear();
        _joinedNotSteady = 0;
    }

    /// <summary>vLLM's rule: a request may join unless its adapter is new to a batch that already holds max_loras adapters.</summary>
    public bool CanJoin(int adapter) => adapter < 0 || InBatch(adapter) || DistinctInBatch < _settings.MaxLoras;

    /// <summary>Counts a request into (+1) or out of (-1) the waiting queue.</summary>
    public void Waiting(int adapter, int change)
    {
        if (adapter < 0) _waitingWithoutAdapter += change;
        else
        {
            _waiting[adapter] += change;
            if (_steady[adapter] > 0) _steadyWaiting += change;
        }
    }

    /// <summary>Waiting requests that can join the batch being built, or -1 while it has room for another adapter (all can).</summary>
    public int JoinableWaiting()
    {
        if (DistinctInBatch < _settings.MaxLoras) return -1;
        var count = _waitingWithoutAdapter + _steadyWaiting;
        foreach (var a in _joined)
            if (_steady[a] == 0) count += _waiting[a];
        return count;
    }

    public void Join(int adapter)
    {
        if (adapter < 0) return;
        if (_inBatch[adapter]++ > 0) return;
        _joined.Add(adapter);
        if (_steady[adapter] == 0) _joinedNotSteady++;
    }

    // Steady decoders join and leave after a step or before any request joins the next, so the step's own joins need no update.

    /// <summary>A steady decoder of the adapter joins them (it was in the step that just ended, so its adapter is on the GPU).</summary>
    public void SteadyJoin(int adapter)
    {
        if (adapter < 0) return;
        if (!_onGpu[adapter]) throw new InvalidOperationException($"steady decoder of adapter {adapter}, which is not on the GPU");
        if (_steady[adapter]++ > 0) return;
        _steadyAdapters++;
        _steadyWaiting += _waiting[adapter];
    }

    /// <summary>A steady decoder of the adapter leaves them; with the last one the adapter was last used at the last step.</summary>
    public void SteadyLeave(int adapter)
    {
        if (adapter < 0 || --_steady[adapter] > 0) return;
        _steadyAdapters--;
        _steadyWaiting -= _waiting[adapter];
        _gpuLastUse[adapter] = _stamp;
        _cpuLastUse[adapter] = _stamp;
    }

    /// <summary>Loads the batch's adapters that are not on the GPU; returns the milliseconds it costs.</summary>
    public double LoadBatchAdapters()
    {
        _stamp++;
        var ms = 0.0;
        // Steady adapters are on the GPU and count as used every step; the others load in the order they joined.
        foreach (var a in _joined)
        {
            if (!_onGpu[a])
            {
                if (_gpuResident.Count >= _settings.MaxLoras) Evict(_gpuResident, _onGpu, _gpuLastUse, skipBatch: true);
                _onGpu[a] = true;
                _gpuResident.Add(a);
                ms += _settings.LoadCostMs(_settings.Adapters[a].Rank);
                Loads++;
                if (!_onCpu[a])
                {
                    if (_cpuResident.Count >= _settings.MaxCpuLoras) Evict(_cpuResident, _onCpu, _cpuLastUse, skipBatch: true);
                    _onCpu[a] = true;
                    _cpuResident.Add(a);
                    ms += _settings.DiskLoadMs;
                }
            }
            _gpuLastUse[a] = _stamp;
            _cpuLastUse[a] = _stamp;
        }
        return ms;
    }

    /// <summary>Multiplier on the base step time for the batch's adapters: 1 without adapters or without the overhead model.</summary>
    public double StepMultiplier() =>
        _settings.Overhead is { } o && DistinctInBatch > 0 ? o.Multiplier(DistinctInBatch) : 1.0;

    public void Check()
    {
        if (_gpuResident.Count > _settings.MaxLoras)
            throw new InvalidOperationException($"engine invariant broken: {_gpuResident.Count} adapters on the GPU, over max_loras {_settings.MaxLoras}");
        if (DistinctInBatch > _settings.MaxLoras)
            throw new InvalidOperationException($"engine invariant broken: {DistinctInBatch} adapters in one batch, over max_loras {_settings.MaxLoras}");
        var steady = 0;
        for (var a = 0; a < _steady.Length; a++)
        {
            if ((_steady[a] > 0 || _inBatch[a] > 0) && !_onGpu[a]) throw new InvalidOperationException($"engine invariant broken: adapter {a} in the batch but not on the GPU");
            if (_steady[a] > 0) steady++;
        }
        if (steady != _steadyAdapters) throw new InvalidOperationException("engine invariant broken: steady adapters miscounted");
    }

    private bool InBatch(int adapter) => _steady[adapter] > 0 || _inBatch[adapter] > 0;

    /// <summary>
    /// Evicts the least recently used resident adapter outside the batch (ties: the smallest id). The choice depends only
    /// on use stamps and ids, not on the list's order, so the victim leaves by swapping with the last entry: no shifting.
    /// </summary>
    private void Evict(List<int> resident, bool[] present, long[] lastUse, bool skipBatch)
    {
        var victim = -1;
        var at = -1;
        for (var i = 0; i < resident.Count; i++)
        {
            var a = resident[i];
            if (skipBatch && InBatch(a)) continue;
            if (victim < 0 || lastUse[a] < lastUse[victim] || (lastUse[a] == lastUse[victim] && a < victim))
            {
                victim = a;
                at = i;
            }
        }
        if (victim < 0) throw new InvalidOperationException("no adapter slot to evict (a scheduler bug: more adapters in the batch than slots)");
        present[victim] = false;
        resident[at] = resident[^1];
        resident.RemoveAt(resident.Count - 1);
    }
}
