namespace Stamen.Runtime.Model;

/// <summary>
/// Every block, the embedding and the head in one process: the reference a distributed run must
/// reproduce token for token.
/// </summary>
public sealed class LocalModel
{
    /// <param name="weights">Weights holding every block and the client parts.</param>
    /// <param name="options">Threads; never changes the result.</param>
    public LocalModel(LlamaWeights weights, ComputeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Range != BlockRange.All(weights.Config.Blocks) || !weights.HasClientParts)
            throw new ArgumentException($"a local model needs every block (0:{weights.Config.Blocks}) and the client parts; these weights hold blocks {weights.Range}" +
                (weights.HasClientParts ? "" : " and not all client parts"), nameof(weights));
        Config = weights.Config;
        Embedding = new Embedding(weights);
        Blocks = new BlockStack(weights, options);
        Head = new LmHead(weights, options);
    }

    /// <summary>The model's shape.</summary>
    public LlamaConfig Config { get; }

    /// <summary>Token ids to hidden states.</summary>
    public Embedding Embedding { get; }

    /// <summary>All blocks.</summary>
    public BlockStack Blocks { get; }

    /// <summary>Final norm and logits.</summary>
    public LmHead Head { get; }

    /// <summary>
    /// Greedy decoding: prefills <paramref name="promptTokens"/>, then feeds each chosen token back
    /// until <paramref name="maxNewTokens"/> are chosen. Returns the new tokens (not the prompt).
    /// </summary>
    public IReadOnlyList<int> Generate(IReadOnlyList<int> promptTokens, int maxNewTokens)
    {
        ArgumentNullException.ThrowIfNull(promptTokens);
        if (promptTokens.Count == 0) throw new ArgumentException("the prompt needs at least one token", nameof(promptTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNewTokens, 1);
        // The last chosen token is returned, never fed back, so it needs no cache slot.
        var capacity = promptTokens.Count + maxNewTokens - 1;
        if (capacity > Config.MaxPositions)
            throw new ArgumentOutOfRangeException(nameof(maxNewTokens),
                $"a prompt of {promptTokens.Count} tokens plus {maxNewTokens} new ones exceeds the model's {Config.MaxPositions} positions");

        var cache = Blocks.CreateCache(capacity);
        var output = new List<int>(maxNewTokens);
        var hidden = Blocks.Forward(cache, Embedding.Lookup([.. promptTokens]), 0);
        output.Add(Head.Greedy(hidden));
        while (output.Count < maxNewTokens)
        {
            hidden = Blocks.Forward(cache, Embedding.Lookup([output[^1]]), cache.Length);
            output.Add(Head.Greedy(hidden));
        }
        return output;
    }
}
