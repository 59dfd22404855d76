namespace Stamen.Runtime.Model;

/// <summary>
/// A contiguous range of blocks run one after another: what a block server holds. Running blocks
/// [0, k) in one stack and [k, L) in another gives the bits one stack [0, L) gives, because the
/// hidden state crosses between them as the same fp32 values and each block's arithmetic is
/// independent of which process runs it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A stack of transformer blocks, the name the model literature and PETALS use; not a LIFO collection.")]
public sealed class BlockStack
{
    private readonly TransformerBlock[] _blocks;

    /// <summary>A stack of every block <paramref name="weights"/> holds.</summary>
    public BlockStack(LlamaWeights weights, ComputeOptions? options = null)
        : this(weights, (weights ?? throw new ArgumentNullException(nameof(weights))).Range, options)
    {
    }

    /// <summary>A stack of blocks <paramref name="range"/>, which <paramref name="weights"/> must hold.</summary>
    public BlockStack(LlamaWeights weights, BlockRange range, ComputeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        range.Validate(weights.Config.Blocks);
        if (range.Start < weights.Range.Start || range.End > weights.Range.End)
            throw new ArgumentOutOfRangeException(nameof(range), $"blocks {range} are not all held; the weights hold {weights.Range}");
        Config = weights.Config;
        Range = range;
        var rotary = new RotaryTable(Config.HeadDim, Config.RopeTheta, Config.MaxPositions);
        _blocks = new TransformerBlock[range.Count];
        for (var i = 0; i < range.Count; i++)
            _blocks[i] = new TransformerBlock(Config, weights.Block(range.Start + i), rotary, options);
    }

    /// <summary>The model's shape.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The blocks run.</summary>
    public BlockRange Range { get; }

    /// <summary>Bytes of KV cache one token of one session occupies across the stack's blocks.</summary>
    public long KvBytesPerToken => Range.Count * Config.KvBytesPerTokenPerBlock;

    /// <summary>An empty cache for a session of up to <paramref name="capacityTokens"/> tokens.</summary>
    public KvCacheSet CreateCache(int capacityTokens)
    {
        if (capacityTokens < 1 || capacityTokens > Config.MaxPositions)
            throw new ArgumentOutOfRangeException(nameof(capacityTokens),
                $"a session holds 1..{Config.MaxPositions} tokens (the model's positions), not {capacityTokens}");
        return new KvCacheSet(Range.Count, capacityTokens, Config.KvDim);
    }

    /// <summary>An empty cache for a session that runs only <paramref name="blocks"/>.</summary>
    public KvCacheSet CreateCache(int capacityTokens, BlockRange blocks)
    {
        if (capacityTokens < 1 || capacityTokens > Config.MaxPositions)
            throw new ArgumentOutOfRangeException(nameof(capacityTokens),
                $"a session holds 1..{Config.MaxPositions} tokens (the model's positions), not {capacityTokens}");
        return new KvCacheSet(blocks.Count, capacityTokens, Config.KvDim);
    }

    /// <summary>
    /// Runs the stack's blocks on <paramref name="hidden"/> [tokens, hidden] at positions
    /// <paramref name="startPosition"/>.. and returns the new hidden states (the input is not changed).
    /// A prefill passes the prompt at 0; a decode step passes one token at <see cref="KvCacheSet.Length"/>.
    /// </summary>
    public float[] Forward(KvCacheSet cache, float[] hidden, int startPosition) => Forward(cache, hidden, startPosition, Range);

    /// <summary>
    /// As <see cref="Forward(KvCacheSet, float[], int)"/>, running only <paramref name="blocks"/> (absolute block indices, within
    /// <see cref="Range"/>) with a cache of that many layers: a session that needs part of a server's blocks, as PETALS
    /// routes do when a chain enters or leaves a server's span in the middle.
    /// </summary>
    public float[] Forward(KvCacheSet cache, float[] hidden, int startPosition, BlockRange blocks)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(hidden);
        if (blocks.Start < Range.Start || blocks.End > Range.End || blocks.Count < 1)
            throw new ArgumentOutOfRangeException(nameof(blocks), $"blocks {blocks} are not within this stack's {Range}");
        if (cache.Blocks != blocks.Count)
            throw new ArgumentException($"the cache serves {cache.Blocks} blocks; {blocks} has {blocks.Count}", nameof(cache));
        var state = (float[])hidden.Clone();
        for (var i = 0; i < blocks.Count; i++) _blocks[blocks.Start - Range.Start + i].ForwardInPlace(cache.Layer(i), state, startPosition);
        return state;
    }
}
