using System.Globalization;

namespace Stamen.Runtime.Model;

/// <summary>
/// The shape of a Llama-architecture decoder: what every weight tensor's size and every block's
/// arithmetic follow from. One record travels with the weights so a server and a client can check
/// they agree on the model before exchanging hidden states.
/// </summary>
/// <param name="HiddenSize">Width of the residual stream (HF <c>hidden_size</c>).</param>
/// <param name="IntermediateSize">Width of the SwiGLU MLP (HF <c>intermediate_size</c>).</param>
/// <param name="Heads">Query heads (HF <c>num_attention_heads</c>); must divide <paramref name="HiddenSize"/>.</param>
/// <param name="KvHeads">Key/value heads (HF <c>num_key_value_heads</c>); must divide <paramref name="Heads"/> (grouped-query attention).</param>
/// <param name="Blocks">Transformer blocks (HF <c>num_hidden_layers</c>).</param>
/// <param name="VocabSize">Tokens in the vocabulary (rows of the embedding and the output head).</param>
/// <param name="RopeTheta">Base of the rotary embedding frequencies (HF <c>rope_theta</c>).</param>
/// <param name="RmsEps">Epsilon inside RMSNorm's square root (HF <c>rms_norm_eps</c>).</param>
/// <param name="MaxPositions">Longest sequence, prompt plus generated tokens (HF <c>max_position_embeddings</c>); bounds the rotary table and a session's KV cache.</param>
/// <param name="TieEmbeddings">True when the output head reuses the embedding matrix (HF <c>tie_word_embeddings</c>).</param>
public sealed record LlamaConfig(
    int HiddenSize,
    int IntermediateSize,
    int Heads,
    int KvHeads,
    int Blocks,
    int VocabSize,
    double RopeTheta = 10_000,
    double RmsEps = 1e-5,
    int MaxPositions = 2048,
    bool TieEmbeddings = false)
{
    /// <summary>A test-sized model: 4 blocks of width 128, vocabulary 512, about 0.87 M parameters; a forward pass takes well under a millisecond per token.</summary>
    public static LlamaConfig Tiny { get; } = new(HiddenSize: 128, IntermediateSize: 352, Heads: 4, KvHeads: 2, Blocks: 4,
        VocabSize: 512, MaxPositions: 256);

    /// <summary>A measurement-sized model: 12 blocks of width 768 (6.3 M parameters each), vocabulary 32,000, output head tied to the embedding: 100.1 M parameters.</summary>
    public static LlamaConfig Small100M { get; } = new(HiddenSize: 768, IntermediateSize: 2048, Heads: 12, KvHeads: 4, Blocks: 12,
        VocabSize: 32_000, MaxPositions: 2048, TieEmbeddings: true);

    /// <summary>The named presets, by the name the CLI and scenarios use.</summary>
    public static IReadOnlyDictionary<string, LlamaConfig> Presets { get; } = new Dictionary<string, LlamaConfig>(StringComparer.Ordinal)
    {
        ["tiny"] = Tiny,
        ["small-100m"] = Small100M,
    };

    /// <summary>The preset called <paramref name="name"/>; an unknown name lists the known ones.</summary>
    public static LlamaConfig Preset(string name) =>
        Presets.TryGetValue(name, out var config)
            ? config
            : throw new StamenInputException("(model)", "name", $"no preset model is called '{name}'",
                $"use one of {string.Join(", ", Presets.Keys)}, or a folder holding config.json and model.safetensors");

    /// <summary>Width of one attention head.</summary>
    public int HeadDim => HiddenSize / Heads;

    /// <summary>Width of the keys (and of the values) of one token in one block: KV heads x head width.</summary>
    public int KvDim => KvHeads * HeadDim;

    /// <summary>Bytes of fp32 keys and values one token occupies in one block's cache.</summary>
    public long KvBytesPerTokenPerBlock => 2L * KvDim * sizeof(float);

    /// <summary>Parameters of one transformer block (attention, MLP, two norms).</summary>
    public long ParametersPerBlock =>
        2L * HiddenSize * HiddenSize + 2L * HiddenSize * KvDim + 3L * HiddenSize * IntermediateSize + 2L * HiddenSize;

    /// <summary>All parameters: blocks, embedding, final norm and (unless tied) the output head.</summary>
    public long Parameters =>
        Blocks * ParametersPerBlock + (long)VocabSize * HiddenSize * (TieEmbeddings ? 1 : 2) + HiddenSize;

    /// <summary>Every problem with the shape, in one list (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Positive(int value, string name)
        {
            if (value < 1) problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} is {value}; it must be at least 1"));
        }
        Positive(HiddenSize, nameof(HiddenSize));
        Positive(IntermediateSize, nameof(IntermediateSize));
        Positive(Heads, nameof(Heads));
        Positive(KvHeads, nameof(KvHeads));
        Positive(Blocks, nameof(Blocks));
        Positive(VocabSize, nameof(VocabSize));
        Positive(MaxPositions, nameof(MaxPositions));
        if (Heads >= 1 && HiddenSize >= 1 && HiddenSize % Heads != 0)
            problems.Add($"HiddenSize {HiddenSize} is not a multiple of Heads {Heads}; every head must have the same width");
        else if (Heads >= 1 && HiddenSize >= 1 && HeadDim % 2 != 0)
            problems.Add($"the head width {HeadDim} is odd; rotary embeddings rotate pairs of dimensions, so it must be even");
        if (Heads >= 1 && KvHeads >= 1 && Heads % KvHeads != 0)
            problems.Add($"Heads {Heads} is not a multiple of KvHeads {KvHeads}; grouped-query attention shares each KV head among equal groups");
        if (!(RopeTheta > 1) || double.IsInfinity(RopeTheta))
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"RopeTheta is {RopeTheta}; it must be a finite number above 1"));
        if (!(RmsEps > 0) || RmsEps >= 1)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"RmsEps is {RmsEps}; it must lie in (0, 1)"));
        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming every problem at once.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException("invalid Llama config: " + string.Join("; ", problems));
    }
}
