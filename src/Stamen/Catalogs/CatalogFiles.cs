namespace Stamen.Catalogs;

/// <summary>YAML shape of a model catalog file (see Catalogs/models.yaml); filled by YamlDotNet.</summary>
internal sealed class ModelCatalogFile
{
    public List<ModelEntry> Models { get; set; } = [];
}

/// <summary>One model entry as written in YAML; every field optional here so validation can name what is missing.</summary>
internal sealed class ModelEntry
{
    public string? Name { get; set; }
    public string? Architecture { get; set; }
    public int? NumBlocks { get; set; }
    public int? HiddenSize { get; set; }
    public int? NumHeads { get; set; }
    public int? NumKvHeads { get; set; }
    public int? IntermediateSize { get; set; }
    public int? VocabSize { get; set; }
    public long? ParamsPerBlock { get; set; }
    public string? Dtype { get; set; }
    public double? WeightBitsPerParam { get; set; }
    public double? WeightOverheadFactor { get; set; }
    public double? KvBytesPerValue { get; set; }
}

/// <summary>YAML shape of a GPU catalog file (see Catalogs/gpus.yaml).</summary>
internal sealed class GpuCatalogFile
{
    public List<GpuEntry> Gpus { get; set; } = [];
}

/// <summary>One GPU entry as written in YAML.</summary>
internal sealed class GpuEntry
{
    public string? Name { get; set; }
    public double? PeakTflops { get; set; }
    public double? BandwidthGbPerSec { get; set; }
    public double? MemoryGb { get; set; }
    public int? MaxBlocks { get; set; }
    public Dictionary<string, CalibrationEntry> Calibrations { get; set; } = [];
}

/// <summary>Measured block times of one model on one GPU, as written in YAML.</summary>
internal sealed class CalibrationEntry
{
    public double? DecodeMsPerBlock { get; set; }
    public double? PrefillMsPerToken { get; set; }
    public double? PrefillFixedMs { get; set; }
    public double? PetalsForwardRps { get; set; }
    public double? PetalsNetworkRps { get; set; }
}

internal sealed class DeviceCatalogFile
{
    public List<DeviceEntry> Devices { get; set; } = [];
}

internal sealed class DeviceEntry
{
    public string? Name { get; set; }
    public double? PeakTflops { get; set; }
    public double? BandwidthGbPerSec { get; set; }
    public double? MemoryForModelGb { get; set; }
    public double? Mfu { get; set; }
    public double? Mbu { get; set; }
}
