namespace Stamen.Catalogs;

/// <summary>YAML shape of the step-time presets (see Catalogs/step-times.yaml); filled by YamlDotNet.</summary>
internal sealed class StepTimeCatalogFile
{
    public List<StepTimePresetEntry> Presets { get; set; } = [];
}

/// <summary>One preset as written in YAML; fields optional here so validation can name what is missing.</summary>
internal sealed class StepTimePresetEntry
{
    public string? Name { get; set; }
    public string? Base { get; set; }
    public string? Model { get; set; }
    public string? Gpu { get; set; }
    public bool Default { get; set; }
    public string? Description { get; set; }
    public Dictionary<string, string> Options { get; set; } = [];
}
