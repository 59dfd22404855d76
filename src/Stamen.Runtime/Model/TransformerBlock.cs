using System.Numerics.Tensors;

namespace Stamen.Runtime.Model;

/// <summary>
/// One Llama decoder block: x += Attention(RMSNorm(x)); x += MLP(RMSNorm(x)), with rotary
/// positions, grouped-query attention over the session's KV cache under a causal mask, and a SwiGLU
/// MLP. Prefill (many tokens) and decode (one) run the same code: every token's arithmetic is a
/// sequence of per-token kernel calls whose rounding does not depend on what else is in the batch,
/// so decoding with the cache gives the bits a full recomputation gives.
/// </summary>
public sealed class TransformerBlock
{
    private readonly LlamaConfig _config;
    private readonly BlockWeights _weights;
    private readonly RotaryTable _rotary;
    private readonly ComputeOptions _options;
    private readonly float _eps;
    private readonly float _scale;

    /// <param name="config">The model's shape.</param>
    /// <param name="weights">This block's tensors.</param>
    /// <param name="options">Threads; never changes the result.</param>
    public TransformerBlock(LlamaConfig config, BlockWeights weights, ComputeOptions? options = null)
        : this(config, weights, new RotaryTable(config.HeadDim, config.RopeTheta, config.MaxPositions), options)
    {
    }

    internal TransformerBlock(LlamaConfig config, BlockWeights weights, RotaryTable rotary, ComputeOptions? options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        config.Validate();
        weights.Validate(config);
        (options ?? ComputeOptions.Default).Validate();
        _config = config;
        _weights = weights;
        _rotary = rotary;
        _options = options ?? ComputeOptions.Default;
        _eps = (float)config.RmsEps;
        _scale = 1f / MathF.Sqrt(config.HeadDim);
    }

    /// <summary>
    /// Runs the block on <paramref name="hidden"/> [tokens, hidden] in place, the tokens taking positions
    /// <paramref name="startPosition"/>.. ; writes their keys and values into <paramref name="cache"/>,
    /// whose positions [0, startPosition) must hold the session's earlier tokens. A start below the
    /// cache's length overwrites from there (a retried or replayed step).
    /// </summary>
    public void ForwardInPlace(LayerKvCache cache, float[] hidden, int startPosition)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(hidden);
        var h = _config.HiddenSize;
        if (hidden.Length == 0 || hidden.Length % h != 0)
            throw new ArgumentException($"hidden has {hidden.Length} values; it must be tokens x {h}, at least one token", nameof(hidden));
        var tokens = hidden.Length / h;
        if (cache.KvDim != _config.KvDim)
            throw new ArgumentException($"the cache holds {cache.KvDim} values per token; this model needs {_config.KvDim}", nameof(cache));
        if (startPosition < 0 || startPosition > cache.Length)
            throw new ArgumentOutOfRangeException(nameof(startPosition),
                $"start position {startPosition} must lie in [0, {cache.Length}] (the cache holds {cache.Length} tokens)");
        if (startPosition + tokens > Math.Min(cache.CapacityTokens, _config.MaxPositions))
            throw new ArgumentOutOfRangeException(nameof(hidden),
                $"{tokens} tokens from position {startPosition} exceed the cache's {cache.CapacityTokens} tokens or the model's {_config.MaxPositions} positions");

        int heads = _config.Heads, kvHeads = _config.KvHeads, kvDim = _config.KvDim, m = _config.IntermediateSize;
        var w = _weights;

        // Attention: normalise, project, rotate, cache, attend, project back, add.
        var normed = new float[tokens * h];
        for (var t = 0; t < tokens; t++)
            Kernels.RmsNorm(hidden.AsSpan(t * h, h), w.AttentionNorm, _eps, normed.AsSpan(t * h, h));
        var q = new float[tokens * h];
        var k = new float[tokens * kvDim];
        var v = new float[tokens * kvDim];
        Kernels.MatMul(normed, tokens, h, w.Query, h, q, _options);
        Kernels.MatMul(normed, tokens, h, w.Key, kvDim, k, _options);
        Kernels.MatMul(normed, tokens, h, w.Value, kvDim, v, _options);
        for (var t = 0; t < tokens; t++)
        {
            var position = startPosition + t;
            _rotary.Apply(q.AsSpan(t * h, h), heads, position);
            _rotary.Apply(k.AsSpan(t * kvDim, kvDim), kvHeads, position);
            k.AsSpan(t * kvDim, kvDim).CopyTo(cache.Keys.AsSpan(position * kvDim, kvDim));
            v.AsSpan(t * kvDim, kvDim).CopyTo(cache.Values.AsSpan(position * kvDim, kvDim));
        }
        cache.Length = startPosition + tokens;

        var attended = normed; // reuse: the normalised input is no longer needed
        Attend(cache, q, attended, tokens, startPosition);
        var projected = new float[tokens * h];
        Kernels.MatMul(attended, tokens, h, w.Output, h, projected, _options);
        TensorPrimitives.Add(hidden, projected, hidden);

        // MLP: normalise, gate and up, SiLU(gate) x up, down, add.
        for (var t = 0; t < tokens; t++)
            Kernels.RmsNorm(hidden.AsSpan(t * h, h), w.MlpNorm, _eps, normed.AsSpan(t * h, h));
        var gate = new float[tokens * m];
        var up = new float[tokens * m];
        Kernels.MatMul(normed, tokens, h, w.Gate, m, gate, _options);
        Kernels.MatMul(normed, tokens, h, w.Up, m, up, _options);
        var scratch = new float[m];
        for (var t = 0; t < tokens; t++)
            Kernels.SwiGlu(gate.AsSpan(t * m, m), up.AsSpan(t * m, m), scratch);
        Kernels.MatMul(gate, tokens, m, w.Down, h, projected, _options);
        TensorPrimitives.Add(hidden, projected, hidden);
    }

    /// <summary>
    /// Causal grouped-query attention of each token's query heads over the cached keys and values of
    /// positions 0..its own; query head i reads KV head i / (heads / kvHeads). Token-head pairs are
    /// independent, so threads take whole pairs and each pair's sums keep their order.
    /// </summary>
    private void Attend(LayerKvCache cache, float[] q, float[] output, int tokens, int startPosition)
    {
        int heads = _config.Heads, d = _config.HeadDim, kvDim = _config.KvDim, h = _config.HiddenSize;
        var group = heads / _config.KvHeads;
        var contextMax = startPosition + tokens;

        void Pair(int pair, float[] scores)
        {
            int t = pair / heads, head = pair % heads;
            var length = startPosition + t + 1; // causal: positions 0..own
            var kvOffset = head / group * d;
            var query = new ReadOnlySpan<float>(q, t * h + head * d, d);
            var s = scores.AsSpan(0, length);
            for (var j = 0; j < length; j++)
                s[j] = Kernels.Dot(query, new ReadOnlySpan<float>(cache.Keys, j * kvDim + kvOffset, d)) * _scale;
            Kernels.Softmax(s);
            var result = output.AsSpan(t * h + head * d, d);
            result.Clear();
            for (var j = 0; j < length; j++)
                TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<float>(cache.Values, j * kvDim + kvOffset, d), s[j], result, result);
        }

        var pairs = tokens * heads;
        var work = (long)pairs * contextMax * d * 2;
        if (!_options.Parallel || work < _options.ParallelThresholdMacs || pairs == 1)
        {
            var scores = new float[contextMax];
            for (var p = 0; p < pairs; p++) Pair(p, scores);
            return;
        }
        Parallel.For(0, pairs, _options.ParallelOptions, () => new float[contextMax],
            (p, _, scores) => { Pair(p, scores); return scores; }, _ => { });
    }
}
