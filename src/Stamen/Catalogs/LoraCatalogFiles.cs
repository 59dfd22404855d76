namespace Stamen.Catalogs;

/// <summary>YAML shape of a LoRA profile file (see Catalogs/lora.yaml); filled by YamlDotNet.</summary>
internal sealed class LoraCatalogFile
{
    public List<LoraProfileEntry> Profiles { get; set; } = [];
}

/// <summary>One model's LoRA profile as written in YAML; fields optional here so validation can name what is missing.</summary>
internal sealed class LoraProfileEntry
{
    public string? Name { get; set; }
    public Dictionary<int, Dictionary<int, double>> LoadCostMs { get; set; } = [];
    public LoraOverheadEntry? Overhead { get; set; }
    public Dictionary<int, KvCapacityEntry> KvCapacity { get; set; } = [];
    public SchedulerOverheadEntry? SchedulerOverhead { get; set; }
}

/// <summary>The scheduler's CPU-time fit as written in YAML: [coefficient_s, min, max] per term and a baseline.</summary>
internal sealed class SchedulerOverheadEntry
{
    public List<double> Running { get; set; } = [];
    public List<double> Waiting { get; set; } = [];
    public List<double> WaitingShare { get; set; } = [];
    public double? BaselineS { get; set; }
}

/// <summary>Step-time overhead coefficients as written in YAML.</summary>
internal sealed class LoraOverheadEntry
{
    public double? K1 { get; set; }
    public double? K2 { get; set; }
}

/// <summary>One max rank's KV-capacity curve as written in YAML.</summary>
internal sealed class KvCapacityEntry
{
    public List<KvCapacityPointEntry> Points { get; set; } = [];
    public int? FailsAtSlots { get; set; }
}

/// <summary>One published (slots, tokens) measurement as written in YAML.</summary>
internal sealed class KvCapacityPointEntry
{
    public int? Slots { get; set; }
    public long? Tokens { get; set; }
}
