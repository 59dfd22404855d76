namespace Stamen.Model;

/// <summary>
/// The shape facts that decide how many parameters one transformer block has, beyond its sizes:
/// which linear layers carry biases, whether the MLP is gated, and whether norms have a bias.
/// Keyed by Hugging Face <c>model_type</c> so the catalog and the config importer agree.
/// </summary>
/// <param name="ModelType">Hugging Face <c>model_type</c>, e.g. <c>llama</c>.</param>
/// <param name="GatedMlp">SwiGLU-style MLP: gate, up and down projections (3 h i weights) instead of up and down (2 h i).</param>
/// <param name="QkvBias">Query, key and value projections have biases (Qwen2 adds them only there).</param>
/// <param name="AllLinearBias">Every linear layer has a bias: qkv, attention output, both MLP layers (BLOOM, GPT-2).</param>
/// <param name="NormHasBias">LayerNorm with weight and bias (2 h per norm) rather than RMSNorm (h per norm).</param>
public sealed record BlockArchitecture(string ModelType, bool GatedMlp, bool QkvBias, bool AllLinearBias, bool NormHasBias)
{
    /// <summary>Llama-style: gated MLP, no biases, RMSNorm. Also the fallback for unknown model types.</summary>
    public static readonly BlockArchitecture Llama = new("llama", GatedMlp: true, QkvBias: false, AllLinearBias: false, NormHasBias: false);

    /// <summary>
    /// Known model types. BLOOM and GPT-2 use a plain 4h MLP with biases everywhere and LayerNorm
    /// with bias; Qwen2 is Llama plus q/k/v biases; Mistral is Llama-shaped.
    /// </summary>
    public static IReadOnlyList<BlockArchitecture> Known { get; } =
    [
        Llama,
        Llama with { ModelType = "mistral" },
        Llama with { ModelType = "qwen2", QkvBias = true },
        new("bloom", GatedMlp: false, QkvBias: true, AllLinearBias: true, NormHasBias: true),
        new("gpt2", GatedMlp: false, QkvBias: true, AllLinearBias: true, NormHasBias: true),
    ];

    /// <summary>The architecture for <paramref name="modelType"/>, or null when it is not known.</summary>
    public static BlockArchitecture? Find(string modelType) =>
        Known.FirstOrDefault(a => string.Equals(a.ModelType, modelType, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Parameters of one block. Attention: q and o are h x h, k and v are h x (h / heads * kvHeads);
    /// MLP: 3 h i (gated) or 2 h i; two norms per block; biases as the flags say.
    /// </summary>
    public long ParamsPerBlock(int hiddenSize, int numHeads, int numKvHeads, int intermediateSize)
    {
        long h = hiddenSize;
        long kvWidth = h / numHeads * numKvHeads;
        long i = intermediateSize;

        var attentionWeights = 2 * h * h + 2 * h * kvWidth;
        var mlpWeights = (GatedMlp ? 3 : 2) * h * i;
        var norms = 2 * (NormHasBias ? 2 * h : h);

        long biases = 0;
        if (QkvBias || AllLinearBias) biases += h + 2 * kvWidth;
        if (AllLinearBias) biases += h + (GatedMlp ? 2 * i : i) + h;

        return attentionWeights + mlpWeights + norms + biases;
    }
}
