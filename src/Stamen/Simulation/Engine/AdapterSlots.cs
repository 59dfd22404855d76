namespace Stamen.Simulation.Engine;

/// <summary>
/// One instance's LoRA adapters in memory: <c>max_loras</c> GPU slots and a CPU cache, both least recently
/// used. Each iteration the scheduler admits adapters to the batch (at most max_loras distinct); before the
/// step runs, every batch adapter not on the GPU is loaded into the slot of the least recently used adapter
/// outside the batch, at the published CPU-to-GPU cost for its rank (plus a disk load when the CPU cache misses).
/// </summary>
internal sealed class AdapterSlots
{
    private readonly LoraEngineSettings _settings;
    private readonly long[] _gpuLastUse;
    private readonly long[] _cpuLastUse;
    private readonly bool[] _onGpu;
    private readonly bool[] _onCpu;
    private readonly int[] _inBatch;
    private readonly List<int> _batchAdapters = [];
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
        _waiting = new int[n];
        if (settings.MaxCpuLoras is null)
        {
            Array.Fill(_onCpu, true);
            _cpuResident.AddRange(Enumerable.Range(0, n));
        }
    }

    /// <summary>Distinct adapters in the batch being built.</summary>
    public int DistinctInBatch => _batchAdapters.Count;

    /// <summary>Adapter loads (CPU to GPU) so far.</summary>
    public long Loads { get; private set; }

    /// <summary>Whether the adapter is in a GPU slot now.</summary>
    public bool IsOnGpu(int adapter) => adapter >= 0 && _onGpu[adapter];

    /// <summary>Starts a new batch.</summary>
    public void BeginBatch()
    {
        foreach (var a in _batchAdapters) _inBatch[a] = 0;
        _batchAdapters.Clear();
    }

    /// <summary>vLLM's rule: a request may join unless its adapter is new to a batch that already holds max_loras adapters.</summary>
    public bool CanJoin(int adapter) => adapter < 0 || _inBatch[adapter] > 0 || _batchAdapters.Count < _settings.MaxLoras;

    /// <summary>Counts a request into (+1) or out of (-1) the waiting queue.</summary>
    public void Waiting(int adapter, int change)
    {
        if (adapter < 0) _waitingWithoutAdapter += change;
        else _waiting[adapter] += change;
    }

    /// <summary>Waiting requests that can join the batch being built, or -1 while it has room for another adapter (all can).</summary>
    public int JoinableWaiting()
    {
        if (_batchAdapters.Count < _settings.MaxLoras) return -1;
        var count = _waitingWithoutAdapter;
        foreach (var a in _batchAdapters) count += _waiting[a];
        return count;
    }

    public void Join(int adapter)
    {
        if (adapter < 0) return;
        if (_inBatch[adapter]++ == 0) _batchAdapters.Add(adapter);
    }

    /// <summary>Loads the batch's adapters that are not on the GPU; returns the milliseconds it costs.</summary>
    public double LoadBatchAdapters()
    {
        _stamp++;
        var ms = 0.0;
        foreach (var a in _batchAdapters)
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
        _settings.Overhead is { } o && _batchAdapters.Count > 0 ? o.Multiplier(_batchAdapters.Count) : 1.0;

    public void Check()
    {
        if (_gpuResident.Count > _settings.MaxLoras)
            throw new InvalidOperationException($"engine invariant broken: {_gpuResident.Count} adapters on the GPU, over max_loras {_settings.MaxLoras}");
        if (_batchAdapters.Count > _settings.MaxLoras)
            throw new InvalidOperationException($"engine invariant broken: {_batchAdapters.Count} adapters in one batch, over max_loras {_settings.MaxLoras}");
        foreach (var a in _batchAdapters)
            if (!_onGpu[a]) throw new InvalidOperationException($"engine invariant broken: adapter {a} in the batch but not on the GPU");
    }

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
            if (skipBatch && _inBatch[a] > 0) continue;
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
