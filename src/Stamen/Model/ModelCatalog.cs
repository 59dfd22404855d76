using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Stamen.Catalogs;

namespace Stamen.Model;

/// <summary>
/// Models by name: the built-in YAML catalog (Catalogs/models.yaml), optionally extended by user
/// files with the same schema. Immutable: <see cref="WithFile"/> returns a new catalog in which
/// the file's entries add to, or replace (same name), the earlier ones. Names are case-insensitive.
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>How errors name the embedded catalog.</summary>
    public const string BuiltInSource = "(built-in model catalog)";

    private static readonly Lazy<ModelCatalog> BuiltInCatalog =
        new(() => new ModelCatalog(new Dictionary<string, ModelSpec>(StringComparer.OrdinalIgnoreCase), [])
            .WithYaml(CatalogYaml.ReadEmbedded("models.yaml"), BuiltInSource));

    private readonly Dictionary<string, ModelSpec> _models;
    private readonly IReadOnlyList<string> _sources;

    private ModelCatalog(Dictionary<string, ModelSpec> models, IReadOnlyList<string> sources)
    {
        _models = models;
        _sources = sources;
    }

    /// <summary>The catalog shipped with Stamen.</summary>
    public static ModelCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>Model names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _models.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Where the entries came from, for messages: the built-in catalog and any user files.</summary>
    public string Source => string.Join(", ", _sources);

    /// <summary>The model called <paramref name="name"/> (case-insensitive), or an input error listing the known names.</summary>
    public ModelSpec Find(string name) =>
        TryFind(name, out var model)
            ? model
            : throw new StamenInputException(Source, "model", $"unknown model '{name}'",
                $"use one of {string.Join(", ", Names)}, or add it in a model catalog file");

    public bool TryFind(string name, [NotNullWhen(true)] out ModelSpec? model) =>
        _models.TryGetValue(name.Trim(), out model);

    /// <summary>This catalog plus the models of a user YAML file (same schema as the built-in one).</summary>
    public ModelCatalog WithFile(string path) => WithYaml(CatalogYaml.ReadUserFile(path, "model catalog"), path);

    /// <summary>This catalog plus the models in <paramref name="yaml"/>; <paramref name="source"/> names it in errors.</summary>
    public ModelCatalog WithYaml(string yaml, string source)
    {
        var file = CatalogYaml.Parse<ModelCatalogFile>(yaml, source);
        var models = new Dictionary<string, ModelSpec>(_models, StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < file.Models.Count; k++)
        {
            var model = ToSpec(file.Models[k], source, string.Create(CultureInfo.InvariantCulture, $"models[{k}]."));
            if (!seen.Add(model.Name))
                throw new StamenInputException(source, $"models[{k}].name", $"'{model.Name}' appears twice", "keep one entry per name");
            models[model.Name] = model;
        }
        return new ModelCatalog(models, [.. _sources, source]);
    }

    /// <summary>This catalog plus one model built in code (e.g. imported from a config.json).</summary>
    public ModelCatalog With(ModelSpec model, string source)
    {
        ModelShapeCheck.Check(model, source, "");
        var models = new Dictionary<string, ModelSpec>(_models, StringComparer.OrdinalIgnoreCase) { [model.Name] = model };
        return new ModelCatalog(models, _sources.Contains(source) ? _sources : [.. _sources, source]);
    }

    private static ModelSpec ToSpec(ModelEntry e, string source, string at)
    {
        var name = CatalogYaml.Name(e.Name, source, at + "name");
        var hidden = CatalogYaml.Positive(e.HiddenSize, source, at + "hidden_size");
        var heads = CatalogYaml.Positive(e.NumHeads, source, at + "num_heads");
        var kvHeads = e.NumKvHeads is null ? heads : CatalogYaml.Positive(e.NumKvHeads, source, at + "num_kv_heads");
        var intermediate = CatalogYaml.Positive(e.IntermediateSize, source, at + "intermediate_size");
        var dtypeName = e.Dtype ?? throw new StamenInputException(source, at + "dtype", "missing", $"add dtype: one of {WeightDtype.KnownNames}");
        var (bits, kvBytes) = WeightDtype.Resolve(dtypeName, source, at + "dtype");

        long paramsPerBlock;
        if (e.ParamsPerBlock is { } explicitParams)
            paramsPerBlock = explicitParams;
        else
        {
            var archName = e.Architecture ?? throw new StamenInputException(source, at + "architecture",
                "needed to compute params_per_block, which is absent", "add architecture (e.g. llama, qwen2, bloom) or params_per_block");
            var arch = BlockArchitecture.Find(archName) ?? throw new StamenInputException(source, at + "architecture",
                $"unknown architecture '{archName}'",
                $"use one of {string.Join(", ", BlockArchitecture.Known.Select(a => a.ModelType))}, or give params_per_block");
            if (heads % kvHeads != 0)
                throw new StamenInputException(source, at + "num_kv_heads",
                    string.Create(CultureInfo.InvariantCulture, $"{heads} heads do not split into {kvHeads} KV heads"),
                    "num_heads must be a multiple of num_kv_heads");
            paramsPerBlock = arch.ParamsPerBlock(hidden, heads, kvHeads, intermediate);
        }

        var spec = new ModelSpec(
            name,
            CatalogYaml.Positive(e.NumBlocks, source, at + "num_blocks"),
            hidden,
            heads,
            kvHeads,
            intermediate,
            CatalogYaml.Positive(e.VocabSize, source, at + "vocab_size"),
            paramsPerBlock,
            e.WeightBitsPerParam is null ? bits : CatalogYaml.Positive(e.WeightBitsPerParam, source, at + "weight_bits_per_param"),
            e.WeightOverheadFactor ?? 1.0,
            e.KvBytesPerValue is null ? kvBytes : CatalogYaml.Positive(e.KvBytesPerValue, source, at + "kv_bytes_per_value"));
        ModelShapeCheck.Check(spec, source, at);
        return spec;
    }
}
