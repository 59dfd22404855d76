namespace Stamen.Hardware;

/// <summary>A GPU kind: usable memory, roofline figures, and optional calibrated block times per model.</summary>
/// <param name="Name">Catalog key, e.g. <c>a100-80gb</c>.</param>
/// <param name="MemoryBytes">Memory usable for blocks and caches.</param>
/// <param name="PeakTflops">Dense fp16/bf16 peak.</param>
/// <param name="BandwidthBytesPerSec">Memory bandwidth.</param>
/// <param name="MaxBlocks">Hard cap on blocks a server of this kind holds (MIG slices), or null.</param>
/// <param name="Calibrations">Measured per-block times keyed by model name.</param>
public sealed record GpuSpec(
    string Name,
    double MemoryBytes,
    double PeakTflops,
    double BandwidthBytesPerSec,
    int? MaxBlocks,
    IReadOnlyDictionary<string, BlockTimes> Calibrations)
{
    public BlockTimes? CalibrationFor(string modelName) =>
        Calibrations.TryGetValue(modelName, out var t) ? t : null;

    /// <summary>PETALS' measured forward and network rates keyed by model name (absent where none was measured).</summary>
    public IReadOnlyDictionary<string, PetalsRates> PetalsRates { get; init; } = new Dictionary<string, PetalsRates>();

    public PetalsRates? PetalsRatesFor(string modelName) =>
        PetalsRates.TryGetValue(modelName, out var r) ? r : null;
}

/// <summary>
/// What a PETALS server measures at start-up and announces: its batched forward rate through one
/// block and its network rate, both in tokens per second (reference section 1: network_rps =
/// min(download, upload) bits/s / (d_model x 16)).
/// </summary>
public sealed record PetalsRates(double? ForwardRps, double? NetworkRps);

/// <summary>
/// Per-block compute times of one server: decode tau (ms per block per token) and prefill
/// tau_in(l) = <see cref="PrefillMsPerToken"/> * l + <see cref="PrefillFixedMs"/> (ms per block).
/// </summary>
public sealed record BlockTimes(double DecodeMsPerBlock, double PrefillMsPerToken, double PrefillFixedMs)
{
    public double PrefillMsPerBlock(int promptTokens) => PrefillMsPerToken * promptTokens + PrefillFixedMs;
}
