namespace Stamen.Runtime.Model;

/// <summary>
/// The block's math in plain scalar loops on one thread: no vectors, no threads, sums left to
/// right. It exists as the benchmark's baseline (what the vectorised kernels are faster than) and as
/// an independent check of <see cref="TransformerBlock"/>, which it matches to rounding (1e-4
/// relative), not bit for bit: its sums run in a different order.
/// </summary>
public sealed class NaiveTransformerBlock
{
    private readonly LlamaConfig _config;
    private readonly BlockWeights _w;

    /// <param name="config">The model's shape.</param>
    /// <param name="weights">This block's tensors.</param>
    public NaiveTransformerBlock(LlamaConfig config, BlockWeights weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        config.Validate();
        weights.Validate(config);
        _config = config;
        _w = weights;
    }

    /// <summary>Same contract as <see cref="TransformerBlock.ForwardInPlace"/>.</summary>
    public void ForwardInPlace(LayerKvCache cache, float[] hidden, int startPosition)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(hidden);
        int h = _config.HiddenSize, heads = _config.Heads, d = _config.HeadDim, kvDim = _config.KvDim, m = _config.IntermediateSize;
        var tokens = hidden.Length / h;
        if (tokens == 0 || hidden.Length % h != 0 || startPosition < 0 || startPosition > cache.Length
            || startPosition + tokens > cache.CapacityTokens)
            throw new ArgumentException("hidden must be tokens x hidden and fit the cache after the filled positions");
        var eps = (float)_config.RmsEps;
        var group = heads / _config.KvHeads;
        var scale = 1f / MathF.Sqrt(d);

        var x = new float[h];
        var q = new float[h];
        var queries = new float[tokens * h];
        var k = new float[kvDim];
        var v = new float[kvDim];
        for (var t = 0; t < tokens; t++)
        {
            var position = startPosition + t;
            Norm(hidden, t * h, _w.AttentionNorm, eps, x);
            Linear(_w.Query, x, q);
            Linear(_w.Key, x, k);
            Linear(_w.Value, x, v);
            Rotate(q, heads, position);
            Rotate(k, _config.KvHeads, position);
            Array.Copy(q, 0, queries, t * h, h);
            Array.Copy(k, 0, cache.Keys, position * kvDim, kvDim);
            Array.Copy(v, 0, cache.Values, position * kvDim, kvDim);
        }
        cache.Length = startPosition + tokens;

        // Attention per token, reading the cache as filled above (causal: positions 0..own).
        var attended = new float[tokens * h];
        var scores = new float[startPosition + tokens];
        for (var t = 0; t < tokens; t++)
        {
            var position = startPosition + t;
            for (var head = 0; head < heads; head++)
            {
                var kvOffset = head / group * d;
                var max = float.NegativeInfinity;
                for (var j = 0; j <= position; j++)
                {
                    var s = 0f;
                    for (var i = 0; i < d; i++) s += queries[t * h + head * d + i] * cache.Keys[j * kvDim + kvOffset + i];
                    scores[j] = s * scale;
                    if (scores[j] > max) max = scores[j];
                }
                var sum = 0f;
                for (var j = 0; j <= position; j++)
                {
                    scores[j] = MathF.Exp(scores[j] - max);
                    sum += scores[j];
                }
                for (var i = 0; i < d; i++)
                {
                    var acc = 0f;
                    for (var j = 0; j <= position; j++) acc += scores[j] / sum * cache.Values[j * kvDim + kvOffset + i];
                    attended[t * h + head * d + i] = acc;
                }
            }
        }

        var o = new float[h];
        var gate = new float[m];
        var up = new float[m];
        var down = new float[h];
        var a = new float[h];
        for (var t = 0; t < tokens; t++)
        {
            Array.Copy(attended, t * h, a, 0, h);
            Linear(_w.Output, a, o);
            for (var i = 0; i < h; i++) hidden[t * h + i] += o[i];
            Norm(hidden, t * h, _w.MlpNorm, eps, x);
            Linear(_w.Gate, x, gate);
            Linear(_w.Up, x, up);
            for (var i = 0; i < m; i++) gate[i] = gate[i] / (1f + MathF.Exp(-gate[i])) * up[i];
            Linear(_w.Down, gate, down);
            for (var i = 0; i < h; i++) hidden[t * h + i] += down[i];
        }
    }

    private static void Norm(float[] source, int offset, float[] weight, float eps, float[] y)
    {
        var n = y.Length;
        var sum = 0f;
        for (var i = 0; i < n; i++) sum += source[offset + i] * source[offset + i];
        var scale = 1f / MathF.Sqrt(sum / n + eps);
        for (var i = 0; i < n; i++) y[i] = source[offset + i] * scale * weight[i];
    }

    private static void Linear(float[] w, float[] x, float[] y)
    {
        var inDim = x.Length;
        for (var r = 0; r < y.Length; r++)
        {
            var s = 0f;
            for (var i = 0; i < inDim; i++) s += w[r * inDim + i] * x[i];
            y[r] = s;
        }
    }

    private void Rotate(float[] vector, int heads, int position)
    {
        var d = _config.HeadDim;
        var half = d / 2;
        for (var i = 0; i < half; i++)
        {
            var angle = position * Math.Pow(_config.RopeTheta, -2.0 * i / d);
            float cos = (float)Math.Cos(angle), sin = (float)Math.Sin(angle);
            for (var head = 0; head < heads; head++)
            {
                var x1 = vector[head * d + i];
                var x2 = vector[head * d + i + half];
                vector[head * d + i] = x1 * cos - x2 * sin;
                vector[head * d + i + half] = x2 * cos + x1 * sin;
            }
        }
    }
}
