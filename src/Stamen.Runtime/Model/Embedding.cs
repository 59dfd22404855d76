namespace Stamen.Runtime.Model;

/// <summary>Token ids to hidden states: rows of the embedding matrix, copied exactly. Runs on the client, as in PETALS.</summary>
public sealed class Embedding
{
    private readonly float[] _table;
    private readonly LlamaConfig _config;

    /// <param name="weights">Weights holding the embedding.</param>
    public Embedding(LlamaWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _table = weights.Embedding ?? throw new ArgumentException("these weights do not hold the embedding (load the client parts)", nameof(weights));
        _config = weights.Config;
    }

    /// <summary>Hidden states [tokens, hidden] of <paramref name="tokens"/>.</summary>
    public float[] Lookup(ReadOnlySpan<int> tokens)
    {
        var h = _config.HiddenSize;
        var hidden = new float[tokens.Length * h];
        for (var t = 0; t < tokens.Length; t++)
        {
            var id = tokens[t];
            if (id < 0 || id >= _config.VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokens), $"token {id} at index {t} is outside the vocabulary [0, {_config.VocabSize})");
            _table.AsSpan(id * h, h).CopyTo(hidden.AsSpan(t * h, h));
        }
        return hidden;
    }
}

/// <summary>Final RMSNorm and output projection to logits, and greedy choice of the next token. Runs on the client.</summary>
public sealed class LmHead
{
    private readonly float[] _norm;
    private readonly float[] _head;
    private readonly LlamaConfig _config;
    private readonly ComputeOptions _options;

    /// <param name="weights">Weights holding the final norm and output head.</param>
    /// <param name="options">Threads; never changes the result.</param>
    public LmHead(LlamaWeights weights, ComputeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _norm = weights.FinalNorm ?? throw new ArgumentException("these weights do not hold the final norm (load the client parts)", nameof(weights));
        _head = weights.LmHead ?? throw new ArgumentException("these weights do not hold the output head (load the client parts)", nameof(weights));
        _config = weights.Config;
        _options = options ?? ComputeOptions.Default;
        _options.Validate();
    }

    /// <summary>Logits [vocab] of token row <paramref name="token"/> of <paramref name="hidden"/> [tokens, hidden].</summary>
    public float[] Logits(float[] hidden, int token)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var h = _config.HiddenSize;
        if (hidden.Length % h != 0 || token < 0 || (token + 1) * h > hidden.Length)
            throw new ArgumentOutOfRangeException(nameof(token), $"token row {token} is not in hidden states of {hidden.Length} values (rows of {h})");
        var normed = new float[h];
        Kernels.RmsNorm(hidden.AsSpan(token * h, h), _norm, (float)_config.RmsEps, normed);
        var logits = new float[_config.VocabSize];
        Kernels.MatMul(normed, 1, h, _head, _config.VocabSize, logits, _options);
        return logits;
    }

    /// <summary>The greedy next token after the last row of <paramref name="hidden"/>.</summary>
    public int Greedy(float[] hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        return ArgMax(Logits(hidden, hidden.Length / _config.HiddenSize - 1));
    }

    /// <summary>Index of the largest logit; the lowest index on ties, so the choice never depends on scan order.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits) => Kernels.ArgMax(logits);
}
