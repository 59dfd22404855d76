namespace Stamen.Runtime.Model;

/// <summary>
/// One block's keys and values for one session: [capacity, kvHeads x headDim] each, fp32, allocated
/// whole at creation so a host's memory budget is what it reserved. Positions [0, <see cref="Length"/>) are filled.
/// </summary>
public sealed class LayerKvCache
{
    internal LayerKvCache(int capacityTokens, int kvDim)
    {
        CapacityTokens = capacityTokens;
        KvDim = kvDim;
        Keys = new float[(long)capacityTokens * kvDim];
        Values = new float[Keys.Length];
    }

    /// <summary>Most tokens the cache holds.</summary>
    public int CapacityTokens { get; }

    /// <summary>Positions filled so far.</summary>
    public int Length { get; internal set; }

    internal int KvDim { get; }
    internal float[] Keys { get; }
    internal float[] Values { get; }

    /// <summary>Bytes of keys and values reserved.</summary>
    public long Bytes => 2L * Keys.LongLength * sizeof(float);
}

/// <summary>The KV caches of one session on one <see cref="BlockStack"/>: one <see cref="LayerKvCache"/> per block of its range.</summary>
public sealed class KvCacheSet
{
    private readonly LayerKvCache[] _layers;

    /// <param name="blocks">Blocks the cache serves.</param>
    /// <param name="capacityTokens">Most tokens of the session (prompt plus generated).</param>
    /// <param name="kvDim">Key width per token per block (KV heads x head width).</param>
    public KvCacheSet(int blocks, int capacityTokens, int kvDim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kvDim, 1);
        _layers = new LayerKvCache[blocks];
        for (var i = 0; i < blocks; i++) _layers[i] = new LayerKvCache(capacityTokens, kvDim);
    }

    /// <summary>Tokens cached (the position the next token takes).</summary>
    public int Length => _layers[0].Length;

    /// <summary>Most tokens the cache holds.</summary>
    public int CapacityTokens => _layers[0].CapacityTokens;

    /// <summary>Blocks served.</summary>
    public int Blocks => _layers.Length;

    /// <summary>Bytes of keys and values reserved across the blocks.</summary>
    public long Bytes => _layers.Sum(l => l.Bytes);

    /// <summary>The cache of the <paramref name="index"/>-th block of the range (0 = the range's first block).</summary>
    public LayerKvCache Layer(int index) => _layers[index];
}
