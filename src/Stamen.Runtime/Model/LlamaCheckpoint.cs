using System.Globalization;
using System.Text.Json;

namespace Stamen.Runtime.Model;

/// <summary>
/// A Llama-architecture checkpoint in a local folder, as Hugging Face saves one: <c>config.json</c>
/// and a single <c>model.safetensors</c> with the transformers tensor names. F32, F16 and BF16
/// tensors are widened to fp32; only the asked-for blocks (and client parts) are read.
/// </summary>
public static class LlamaCheckpoint
{
    /// <summary>File name of the config in a checkpoint folder.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>File name of the weights in a checkpoint folder.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>HF name of block <paramref name="block"/>'s tensor with suffix <paramref name="suffix"/> (see <see cref="BlockWeights.Layout"/>).</summary>
    public static string BlockTensorName(int block, string suffix) =>
        string.Create(CultureInfo.InvariantCulture, $"model.layers.{block}.{suffix}");

    /// <summary>HF name of the token embedding.</summary>
    public const string EmbeddingName = "model.embed_tokens.weight";

    /// <summary>HF name of the final norm.</summary>
    public const string FinalNormName = "model.norm.weight";

    /// <summary>HF name of the output head (absent when tied to the embedding).</summary>
    public const string LmHeadName = "lm_head.weight";

    /// <summary>
    /// Loads blocks <paramref name="blocks"/> (all when null) and, when <paramref name="clientParts"/>,
    /// the embedding, final norm and head from <paramref name="folder"/>.
    /// </summary>
    public static LlamaWeights Load(string folder, BlockRange? blocks = null, bool clientParts = true)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            throw new StamenInputException(folder, "(folder)", "the folder does not exist", $"pass a folder holding {ConfigFile} and {WeightsFile}");
        var config = ReadConfig(Path.Combine(folder, ConfigFile));
        var range = blocks ?? BlockRange.All(config.Blocks);
        if (range.Start < 0 || range.End > config.Blocks || range.Start > range.End)
            throw new StamenInputException(folder, "blocks", $"block range {range} is outside the model's {config.Blocks} blocks",
                $"choose blocks within 0:{config.Blocks}");
        var file = SafetensorsFile.Open(Path.Combine(folder, WeightsFile));

        var layout = BlockWeights.Layout(config);
        var list = new List<BlockWeights>(range.Count);
        for (var b = range.Start; b < range.End; b++)
            list.Add(BlockWeights.FromTensors(layout.Select(t => file.ReadFloat32(BlockTensorName(b, t.Suffix), t.Shape)).ToList()));

        float[]? embedding = null, finalNorm = null, lmHead = null;
        if (clientParts)
        {
            int[] vocabByHidden = [config.VocabSize, config.HiddenSize];
            embedding = file.ReadFloat32(EmbeddingName, vocabByHidden);
            finalNorm = file.ReadFloat32(FinalNormName, [config.HiddenSize]);
            // HF drops lm_head.weight when tie_word_embeddings is true; some exports keep it anyway.
            lmHead = file.Contains(LmHeadName) ? file.ReadFloat32(LmHeadName, vocabByHidden)
                : config.TieEmbeddings ? embedding
                : throw new StamenInputException(file.Path, LmHeadName, "the tensor is missing and config.json does not tie it to the embedding",
                    "export lm_head.weight, or set tie_word_embeddings to true if the model ties them");
        }
        return new LlamaWeights(config, range, list, embedding, finalNorm, lmHead);
    }

    /// <summary>
    /// Writes <paramref name="weights"/> (which must hold every block and the client parts) to
    /// <paramref name="folder"/> as a checkpoint with tensors stored as <paramref name="dtype"/>.
    /// </summary>
    public static void Save(string folder, LlamaWeights weights, SafetensorsDtype dtype = SafetensorsDtype.F32)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var tensors = ToTensors(weights, dtype);
        Directory.CreateDirectory(folder);
        Stamen.IO.AtomicFile.WriteAllText(Path.Combine(folder, ConfigFile), ConfigJson(weights.Config));
        SafetensorsFile.Write(Path.Combine(folder, WeightsFile), tensors);
    }

    /// <summary>The tensors of <paramref name="weights"/> under their HF names, in file order (no lm_head when tied).</summary>
    public static IReadOnlyList<SafetensorsTensor> ToTensors(LlamaWeights weights, SafetensorsDtype dtype = SafetensorsDtype.F32)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var config = weights.Config;
        if (weights.Range != BlockRange.All(config.Blocks) || !weights.HasClientParts)
            throw new ArgumentException("a checkpoint needs every block and the client parts", nameof(weights));
        var tensors = new List<SafetensorsTensor>
        {
            new(EmbeddingName, dtype, [config.VocabSize, config.HiddenSize], weights.Embedding!),
        };
        var layout = BlockWeights.Layout(config);
        for (var b = 0; b < config.Blocks; b++)
        {
            var values = weights.Block(b).Tensors();
            for (var t = 0; t < layout.Count; t++)
                tensors.Add(new SafetensorsTensor(BlockTensorName(b, layout[t].Suffix), dtype, layout[t].Shape, values[t]));
        }
        tensors.Add(new SafetensorsTensor(FinalNormName, dtype, [config.HiddenSize], weights.FinalNorm!));
        if (!config.TieEmbeddings)
            tensors.Add(new SafetensorsTensor(LmHeadName, dtype, [config.VocabSize, config.HiddenSize], weights.LmHead!));
        return tensors;
    }

    /// <summary>config.json text for <paramref name="config"/> (HF field names, model_type llama).</summary>
    public static string ConfigJson(LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var fields = new System.Text.Json.Nodes.JsonObject
        {
            ["model_type"] = "llama",
            ["architectures"] = new System.Text.Json.Nodes.JsonArray("LlamaForCausalLM"),
            ["hidden_size"] = config.HiddenSize,
            ["intermediate_size"] = config.IntermediateSize,
            ["num_attention_heads"] = config.Heads,
            ["num_key_value_heads"] = config.KvHeads,
            ["num_hidden_layers"] = config.Blocks,
            ["vocab_size"] = config.VocabSize,
            ["rope_theta"] = config.RopeTheta,
            ["rms_norm_eps"] = config.RmsEps,
            ["max_position_embeddings"] = config.MaxPositions,
            ["tie_word_embeddings"] = config.TieEmbeddings,
            ["hidden_act"] = "silu",
        };
        return fields.ToJsonString(IndentedJson) + "\n";
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    /// <summary>Reads a HF Llama config.json; anything this runtime cannot run is refused with the reason.</summary>
    public static LlamaConfig ReadConfig(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", "the file does not exist", $"put the model's {ConfigFile} beside {WeightsFile}");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(Stamen.IO.BoundedFile.ReadAllText(path, 1 << 20, "model config"));
        }
        catch (JsonException e)
        {
            throw new StamenInputException(path, "(json)", $"the file is not valid JSON ({e.Message})", "fix the JSON syntax");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new StamenInputException(path, "(json)", "the top level is not a JSON object", "pass a Hugging Face config.json");
            if (root.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString() is { } modelType && modelType is not ("llama" or "mistral"))
                throw new StamenInputException(path, "model_type", $"'{modelType}' is not a Llama-architecture model",
                    "use a Llama-architecture checkpoint (model_type llama)");
            if (root.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind != JsonValueKind.Null)
                throw new StamenInputException(path, "rope_scaling", "scaled rotary embeddings (e.g. Llama 3.1's) are not implemented",
                    "use a checkpoint without rope_scaling");
            if (root.TryGetProperty("hidden_act", out var act) && act.ValueKind == JsonValueKind.String && act.GetString() != "silu")
                throw new StamenInputException(path, "hidden_act", $"activation '{act.GetString()}' is not SwiGLU's silu", "use a Llama-architecture checkpoint");
            foreach (var bias in new[] { "attention_bias", "mlp_bias" })
                if (root.TryGetProperty(bias, out var b) && b.ValueKind == JsonValueKind.True)
                    throw new StamenInputException(path, bias, "biased projections are not implemented", "use a checkpoint without biases");

            var hidden = Int(root, path, "hidden_size", null);
            var heads = Int(root, path, "num_attention_heads", null);
            var config = new LlamaConfig(
                HiddenSize: hidden,
                IntermediateSize: Int(root, path, "intermediate_size", null),
                Heads: heads,
                KvHeads: Int(root, path, "num_key_value_heads", heads),
                Blocks: Int(root, path, "num_hidden_layers", null),
                VocabSize: Int(root, path, "vocab_size", null),
                RopeTheta: Number(root, path, "rope_theta", 10_000),
                RmsEps: Number(root, path, "rms_norm_eps", 1e-6),
                MaxPositions: Int(root, path, "max_position_embeddings", 2048),
                TieEmbeddings: root.TryGetProperty("tie_word_embeddings", out var tie) && tie.ValueKind == JsonValueKind.True);
            if (root.TryGetProperty("head_dim", out var headDim) && headDim.ValueKind == JsonValueKind.Number
                && heads > 0 && headDim.GetInt32() != hidden / heads)
                throw new StamenInputException(path, "head_dim", $"head_dim {headDim.GetInt32()} differs from hidden_size / num_attention_heads = {hidden / heads}",
                    "use a checkpoint whose heads split the hidden size evenly");
            var problems = config.Problems();
            if (problems.Count > 0)
                throw new StamenInputException(path, "(shape)", string.Join("; ", problems), "check the config.json fields");
            return config;
        }
    }

    private static int Int(JsonElement root, string path, string name, int? fallback)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
            return fallback ?? throw new StamenInputException(path, name, "the field is missing", $"add {name} (a Llama config.json has it)");
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var value))
            throw new StamenInputException(path, name, $"{e} is not an integer", $"write {name} as an integer");
        return value;
    }

    private static double Number(JsonElement root, string path, string name, double fallback)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return fallback;
        if (e.ValueKind != JsonValueKind.Number)
            throw new StamenInputException(path, name, $"{e} is not a number", $"write {name} as a number");
        return e.GetDouble();
    }
}
