namespace Stamen.Runtime.Model;

/// <summary>
/// The fp32 weights a process holds: a contiguous range of blocks, and optionally the client-side
/// parts (embedding, final norm, output head). A block server loads only its range; a client only
/// the client parts; <see cref="LocalModel"/> everything.
/// </summary>
public sealed class LlamaWeights
{
    private readonly BlockWeights[] _blocks;

    /// <param name="config">The model's shape.</param>
    /// <param name="range">Blocks held; empty (<c>new BlockRange(0, 0)</c>) for a client.</param>
    /// <param name="blocks">The blocks of <paramref name="range"/>, in order.</param>
    /// <param name="embedding">Token embedding [vocab, hidden], or null when not held.</param>
    /// <param name="finalNorm">Final RMSNorm weight [hidden], or null.</param>
    /// <param name="lmHead">Output head [vocab, hidden], or null; the same array as <paramref name="embedding"/> when tied.</param>
    public LlamaWeights(LlamaConfig config, BlockRange range, IReadOnlyList<BlockWeights> blocks,
        float[]? embedding, float[]? finalNorm, float[]? lmHead)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(blocks);
        config.Validate();
        if (range.Start < 0 || range.End > config.Blocks || range.Start > range.End)
            throw new ArgumentOutOfRangeException(nameof(range), $"block range {range} must lie within [0, {config.Blocks}]");
        if (blocks.Count != range.Count)
            throw new ArgumentException($"range {range} needs {range.Count} blocks, got {blocks.Count}", nameof(blocks));
        foreach (var block in blocks) block.Validate(config);
        long vocabByHidden = (long)config.VocabSize * config.HiddenSize;
        if (embedding is not null && embedding.LongLength != vocabByHidden)
            throw new ArgumentException($"the embedding has {embedding.LongLength} values; the config needs {vocabByHidden}", nameof(embedding));
        if (lmHead is not null && lmHead.LongLength != vocabByHidden)
            throw new ArgumentException($"the output head has {lmHead.LongLength} values; the config needs {vocabByHidden}", nameof(lmHead));
        if (finalNorm is not null && finalNorm.Length != config.HiddenSize)
            throw new ArgumentException($"the final norm has {finalNorm.Length} values; the config needs {config.HiddenSize}", nameof(finalNorm));
        Config = config;
        Range = range;
        _blocks = [.. blocks];
        Embedding = embedding;
        FinalNorm = finalNorm;
        LmHead = lmHead;
    }

    /// <summary>The model's shape.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The blocks held.</summary>
    public BlockRange Range { get; }

    /// <summary>Token embedding [vocab, hidden], or null when not held.</summary>
    public float[]? Embedding { get; }

    /// <summary>Final RMSNorm weight [hidden], or null when not held.</summary>
    public float[]? FinalNorm { get; }

    /// <summary>Output head [vocab, hidden], or null when not held.</summary>
    public float[]? LmHead { get; }

    /// <summary>True when the embedding, final norm and output head are all held.</summary>
    public bool HasClientParts => Embedding is not null && FinalNorm is not null && LmHead is not null;

    /// <summary>Weights of block <paramref name="index"/> (a model-wide index within <see cref="Range"/>).</summary>
    public BlockWeights Block(int index)
    {
        if (!Range.Contains(index))
            throw new ArgumentOutOfRangeException(nameof(index), $"block {index} is not held; these weights hold blocks {Range}");
        return _blocks[index - Range.Start];
    }
}
