using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Stamen.Catalogs;

namespace Stamen.Hardware;

/// <summary>
/// GPU kinds by name: the built-in YAML catalog (Catalogs/gpus.yaml), optionally extended by user
/// files with the same schema. Immutable: <see cref="WithFile"/> returns a new catalog in which the
/// file's entries add to, or replace (same name), the earlier ones. Names are case-insensitive, and
/// so are the model names keying calibrations.
/// </summary>
public sealed class GpuCatalog
{
    /// <summary>How errors name the embedded catalog.</summary>
    public const string BuiltInSource = "(built-in GPU catalog)";

    private const double BytesPerGb = 1e9;

    private static readonly Lazy<GpuCatalog> BuiltInCatalog =
        new(() => new GpuCatalog(new Dictionary<string, GpuSpec>(StringComparer.OrdinalIgnoreCase), [])
            .WithYaml(CatalogYaml.ReadEmbedded("gpus.yaml"), BuiltInSource));

    private readonly Dictionary<string, GpuSpec> _gpus;
    private readonly IReadOnlyList<string> _sources;

    private GpuCatalog(Dictionary<string, GpuSpec> gpus, IReadOnlyList<string> sources)
    {
        _gpus = gpus;
        _sources = sources;
    }

    /// <summary>The catalog shipped with Stamen.</summary>
    public static GpuCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>GPU names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _gpus.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Where the entries came from, for messages.</summary>
    public string Source => string.Join(", ", _sources);

    /// <summary>The GPU called <paramref name="name"/> (case-insensitive), or an input error listing the known names.</summary>
    public GpuSpec Find(string name) =>
        TryFind(name, out var gpu)
            ? gpu
            : throw new StamenInputException(Source, "gpu", $"unknown GPU '{name}'",
                $"use one of {string.Join(", ", Names)}, or add it in a GPU catalog file");

    public bool TryFind(string name, [NotNullWhen(true)] out GpuSpec? gpu) => _gpus.TryGetValue(name.Trim(), out gpu);

    /// <summary>This catalog plus the GPUs of a user YAML file (same schema as the built-in one).</summary>
    public GpuCatalog WithFile(string path) => WithYaml(CatalogYaml.ReadUserFile(path, "GPU catalog"), path);

    /// <summary>This catalog plus the GPUs in <paramref name="yaml"/>; <paramref name="source"/> names it in errors.</summary>
    public GpuCatalog WithYaml(string yaml, string source)
    {
        var file = CatalogYaml.Parse<GpuCatalogFile>(yaml, source);
        var gpus = new Dictionary<string, GpuSpec>(_gpus, StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < file.Gpus.Count; k++)
        {
            var gpu = ToSpec(file.Gpus[k], source, string.Create(CultureInfo.InvariantCulture, $"gpus[{k}]."));
            if (!seen.Add(gpu.Name))
                throw new StamenInputException(source, $"gpus[{k}].name", $"'{gpu.Name}' appears twice", "keep one entry per name");
            gpus[gpu.Name] = gpu;
        }
        return new GpuCatalog(gpus, [.. _sources, source]);
    }

    private static GpuSpec ToSpec(GpuEntry e, string source, string at)
    {
        var name = CatalogYaml.Name(e.Name, source, at + "name");
        var calibrations = new Dictionary<string, BlockTimes>(StringComparer.OrdinalIgnoreCase);
        var rates = new Dictionary<string, PetalsRates>(StringComparer.OrdinalIgnoreCase);
        foreach (var (model, c) in e.Calibrations)
        {
            var cat = $"{at}calibrations.{model}.";
            if (c.PetalsForwardRps is not null || c.PetalsNetworkRps is not null)
                rates[model.Trim()] = new PetalsRates(
                    c.PetalsForwardRps is null ? null : CatalogYaml.Positive(c.PetalsForwardRps, source, cat + "petals_forward_rps"),
                    c.PetalsNetworkRps is null ? null : CatalogYaml.Positive(c.PetalsNetworkRps, source, cat + "petals_network_rps"));
            calibrations[model.Trim()] = new BlockTimes(
                CatalogYaml.Positive(c.DecodeMsPerBlock, source, cat + "decode_ms_per_block"),
                CatalogYaml.Positive(c.PrefillMsPerToken, source, cat + "prefill_ms_per_token"),
                NonNegative(c.PrefillFixedMs, source, cat + "prefill_fixed_ms"));
        }
        return new GpuSpec(
            name,
            CatalogYaml.Positive(e.MemoryGb, source, at + "memory_gb", max: 1e5) * BytesPerGb,
            CatalogYaml.Positive(e.PeakTflops, source, at + "peak_tflops"),
            CatalogYaml.Positive(e.BandwidthGbPerSec, source, at + "bandwidth_gb_per_sec") * BytesPerGb,
            e.MaxBlocks is null ? null : CatalogYaml.Positive(e.MaxBlocks, source, at + "max_blocks"),
            calibrations) { PetalsRates = rates };
    }

    private static double NonNegative(double? value, string source, string field)
    {
        var v = CatalogYaml.Required(value, source, field);
        return v >= 0 && !double.IsInfinity(v)
            ? v
            : throw new StamenInputException(source, field,
                string.Create(CultureInfo.InvariantCulture, $"must be a non-negative number, got {v}"), "use 0 or more");
    }
}
