namespace Stamen.Runtime.Model;

/// <summary>
/// The fp32 tensors of one transformer block. Matrices are stored [out, in] row-major, as
/// Hugging Face and PyTorch's <c>nn.Linear</c> store them, so each output of a projection is one
/// contiguous dot product: the unit the kernels vectorise and the unit whose arithmetic order is fixed.
/// </summary>
/// <param name="AttentionNorm">RMSNorm weight before attention [hidden] (HF <c>input_layernorm</c>).</param>
/// <param name="Query">Query projection [heads x headDim, hidden] (<c>q_proj</c>).</param>
/// <param name="Key">Key projection [kvHeads x headDim, hidden] (<c>k_proj</c>).</param>
/// <param name="Value">Value projection [kvHeads x headDim, hidden] (<c>v_proj</c>).</param>
/// <param name="Output">Attention output projection [hidden, heads x headDim] (<c>o_proj</c>).</param>
/// <param name="MlpNorm">RMSNorm weight before the MLP [hidden] (HF <c>post_attention_layernorm</c>).</param>
/// <param name="Gate">SwiGLU gate projection [intermediate, hidden] (<c>gate_proj</c>).</param>
/// <param name="Up">SwiGLU up projection [intermediate, hidden] (<c>up_proj</c>).</param>
/// <param name="Down">SwiGLU down projection [hidden, intermediate] (<c>down_proj</c>).</param>
public sealed record BlockWeights(
    float[] AttentionNorm,
    float[] Query,
    float[] Key,
    float[] Value,
    float[] Output,
    float[] MlpNorm,
    float[] Gate,
    float[] Up,
    float[] Down)
{
    /// <summary>The tensors with their expected shapes under <paramref name="config"/>, in file order (the order seeded streams are numbered in).</summary>
    public static IReadOnlyList<(string Suffix, int[] Shape)> Layout(LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int h = config.HiddenSize, kv = config.KvDim, m = config.IntermediateSize;
        return
        [
            ("input_layernorm.weight", [h]),
            ("self_attn.q_proj.weight", [h, h]),
            ("self_attn.k_proj.weight", [kv, h]),
            ("self_attn.v_proj.weight", [kv, h]),
            ("self_attn.o_proj.weight", [h, h]),
            ("post_attention_layernorm.weight", [h]),
            ("mlp.gate_proj.weight", [m, h]),
            ("mlp.up_proj.weight", [m, h]),
            ("mlp.down_proj.weight", [h, m]),
        ];
    }

    /// <summary>Builds the block from tensors given in <see cref="Layout"/> order.</summary>
    public static BlockWeights FromTensors(IReadOnlyList<float[]> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count != 9) throw new ArgumentException($"a block has 9 tensors, not {tensors.Count}", nameof(tensors));
        return new BlockWeights(tensors[0], tensors[1], tensors[2], tensors[3], tensors[4], tensors[5], tensors[6], tensors[7], tensors[8]);
    }

    /// <summary>The tensors in <see cref="Layout"/> order.</summary>
    public IReadOnlyList<float[]> Tensors() => [AttentionNorm, Query, Key, Value, Output, MlpNorm, Gate, Up, Down];

    /// <summary>Throws <see cref="ArgumentException"/> when a tensor's length does not match <paramref name="config"/>.</summary>
    public void Validate(LlamaConfig config)
    {
        var layout = Layout(config);
        var tensors = Tensors();
        for (var i = 0; i < layout.Count; i++)
        {
            var expected = layout[i].Shape.Aggregate(1L, (a, b) => a * b);
            if (tensors[i] is null || tensors[i].LongLength != expected)
                throw new ArgumentException($"block tensor {layout[i].Suffix} has {tensors[i]?.LongLength ?? 0} values; the config needs {expected}");
        }
    }
}
