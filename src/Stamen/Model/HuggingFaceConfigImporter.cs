using System.Globalization;
using System.Text.Json;
using Stamen.Catalogs;

namespace Stamen.Model;

/// <summary>A model imported from a Hugging Face <c>config.json</c>, with the assumptions made on the way.</summary>
/// <param name="Model">The model, parameters per block computed from its shape.</param>
/// <param name="Architecture">The block layout used to count parameters.</param>
/// <param name="Notes">Defaults taken because the config was silent (e.g. unknown model_type, no dtype).</param>
public sealed record ImportedModel(ModelSpec Model, BlockArchitecture Architecture, IReadOnlyList<string> Notes);

/// <summary>
/// Builds a <see cref="ModelSpec"/> from a Hugging Face <c>config.json</c>, so any model on the Hub
/// can be planned without writing a catalog entry by hand.
/// <list type="bullet">
/// <item>Sizes: <c>hidden_size | n_embed | n_embd | d_model</c>; <c>num_hidden_layers | n_layer | num_layers</c>;
/// <c>num_attention_heads | n_head | num_heads</c>; <c>num_key_value_heads</c> (default: heads, or 1 when
/// <c>multi_query</c> is true); <c>intermediate_size | n_inner</c> (default 4 x hidden: BLOOM and GPT-2
/// configs have none); <c>vocab_size</c>.</item>
/// <item>Parameters per block: from <c>model_type</c> via <see cref="BlockArchitecture"/> (biases, gated
/// MLP, norm kind). An unknown model_type counts as Llama-shaped (gated, no biases, RMSNorm) and says so
/// in <see cref="ImportedModel.Notes"/>.</item>
/// <item>Weights: the <c>dtype</c> argument (e.g. <c>nf4</c> for a quantised server) over <c>torch_dtype</c>
/// (or <c>dtype</c>) in the file; fp16 when neither is given (noted).</item>
/// <item>Name: the <c>name</c> argument, else the last segment of <c>_name_or_path</c> lower-cased, else
/// <c>model_type</c>.</item>
/// </list>
/// </summary>
public static class HuggingFaceConfigImporter
{
    /// <summary>Reads and imports the config.json at <paramref name="path"/>.</summary>
    public static ImportedModel Import(string path, string? name = null, string? dtype = null) =>
        ImportJson(CatalogYaml.ReadUserFile(path, "config.json"), path, name, dtype);

    /// <summary>Imports config.json text; <paramref name="source"/> names it in errors.</summary>
    public static ImportedModel ImportJson(string json, string source, string? name = null, string? dtype = null)
    {
        using var doc = Parse(json, source);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new StamenInputException(source, "(json)", "the top level is not a JSON object", "pass a Hugging Face config.json");
        var notes = new List<string>();

        var hidden = RequiredInt(root, source, "hidden_size", "n_embed", "n_embd", "d_model");
        var layers = RequiredInt(root, source, "num_hidden_layers", "n_layer", "num_layers");
        var heads = RequiredInt(root, source, "num_attention_heads", "n_head", "num_heads");
        var kvHeads = OptionalInt(root, source, "num_key_value_heads")
            ?? (root.TryGetProperty("multi_query", out var mq) && mq.ValueKind == JsonValueKind.True ? 1 : heads);
        var intermediate = OptionalInt(root, source, "intermediate_size", "n_inner") ?? 4 * hidden;
        var vocab = RequiredInt(root, source, "vocab_size");

        var modelType = OptionalString(root, "model_type");
        var architecture = modelType is null ? null : BlockArchitecture.Find(modelType);
        if (architecture is null)
        {
            architecture = BlockArchitecture.Llama with { ModelType = modelType ?? "llama" };
            notes.Add($"model_type '{modelType ?? "(absent)"}' is not known; counted parameters as a Llama-shaped block " +
                      "(gated MLP, no biases, RMSNorm)");
        }

        var dtypeName = dtype ?? OptionalString(root, "torch_dtype") ?? OptionalString(root, "dtype");
        if (dtypeName is null)
        {
            dtypeName = "fp16";
            notes.Add("no torch_dtype in the config and no dtype given; assumed fp16");
        }
        var (bits, kvBytes) = WeightDtype.Resolve(dtypeName, source, dtype is null ? "torch_dtype" : "dtype (argument)");

        if (heads % kvHeads != 0 || kvHeads > heads)
            throw new StamenInputException(source, "num_key_value_heads",
                string.Create(CultureInfo.InvariantCulture, $"{heads} attention heads do not split into {kvHeads} KV heads"),
                "num_attention_heads must be a multiple of num_key_value_heads");

        var model = new ModelSpec(
            name ?? NameFrom(root) ?? architecture.ModelType,
            layers, hidden, heads, kvHeads, intermediate, vocab,
            architecture.ParamsPerBlock(hidden, heads, kvHeads, intermediate),
            bits, WeightOverheadFactor: 1.0, kvBytes);
        ModelShapeCheck.Check(model, source, "");
        return new ImportedModel(model, architecture, notes);
    }

    private static JsonDocument Parse(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new StamenInputException(source,
                string.Create(CultureInfo.InvariantCulture, $"line {(e.LineNumber ?? 0) + 1}"),
                "not valid JSON: " + e.Message.TrimEnd('.'), "pass a Hugging Face config.json");
        }
    }

    private static string? NameFrom(JsonElement root)
    {
        var path = OptionalString(root, "_name_or_path");
        if (string.IsNullOrWhiteSpace(path)) return null;
        var last = path.TrimEnd('/', '\\').Split('/', '\\')[^1];
        return last.Length == 0 ? null : last.ToLowerInvariant();
    }

    private static string? OptionalString(JsonElement root, string field) =>
        root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int RequiredInt(JsonElement root, string source, params string[] fields) =>
        OptionalInt(root, source, fields) ?? throw new StamenInputException(source,
            fields.Length == 1 ? fields[0] : $"{fields[0]} (or {string.Join(", ", fields[1..])})",
            "missing", $"add {fields[0]} to the config");

    private static int? OptionalInt(JsonElement root, string source, params string[] fields)
    {
        foreach (var field in fields)
        {
            if (!root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) continue;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n > 0) return n;
            throw new StamenInputException(source, field,
                $"must be a positive integer, got {v.GetRawText()}", "fix the value in the config");
        }
        return null;
    }
}
