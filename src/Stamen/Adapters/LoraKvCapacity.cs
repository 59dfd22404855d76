using System.Globalization;
using Stamen.Simulation.Engine;

namespace Stamen.Adapters;

/// <summary>Where an engine's KV capacity with adapter slots came from.</summary>
public enum KvCapacitySource
{
    /// <summary>A published measurement at exactly these slots and max rank.</summary>
    PublishedPoint,

    /// <summary>On the straight line between two published measurements at this max rank.</summary>
    Interpolated,

    /// <summary>Beyond the published measurements, along the nearest segment's slope.</summary>
    Extrapolated,

    /// <summary>GPU memory less the adapter slots' buffers (<see cref="LoraMemory"/>): no published cell applies.</summary>
    Memory,
}

/// <summary>
/// KV capacity of one engine with adapter slots preallocated, with where it came from. The published
/// table covers some (model, max rank) curves on an H100 only; every other cell falls back to
/// <see cref="LoraMemory"/>, and <see cref="Label"/> says which table cell was missing, so a study
/// never mixes measured and modelled capacities silently.
/// </summary>
/// <param name="Tokens">KV tokens the engine holds.</param>
/// <param name="Source">Published point, interpolated, extrapolated, or memory fallback.</param>
/// <param name="Label">One line for summaries, naming the missing cell where it fell back.</param>
public sealed record LoraKvCapacity(long Tokens, KvCapacitySource Source, string Label)
{
    /// <summary>Why no published cell applied (for <see cref="KvCapacitySource.Memory"/>); null otherwise.</summary>
    public string? MissingCell { get; init; }

    /// <summary>
    /// The capacity for <paramref name="slots"/> slots of <paramref name="maxRank"/> on the engine
    /// <paramref name="baseConfig"/> describes: the published curve where one exists for the model on an
    /// H100 (unless <paramref name="memoryOnly"/>), else GPU memory less the slots' buffers.
    /// </summary>
    /// <exception cref="StamenInputException">The published engine fails to start with that many slots, or memory leaves no block.</exception>
    public static LoraKvCapacity Resolve(LoraProfile? profile, EngineConfig baseConfig, int slots, int maxRank, bool memoryOnly = false)
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        var model = baseConfig.Model.Name;
        string missing;
        if (memoryOnly) missing = "kv_capacity: memory";
        else if (profile is null) missing = $"no LoRA profile is published for {model}";
        else if (!baseConfig.Gpu.Name.StartsWith("h100", StringComparison.OrdinalIgnoreCase)) missing = $"capacities are published for an H100, not {baseConfig.Gpu.Name}";
        else if (profile.KvCapacityTokens(maxRank, slots) is { } tokens)
        {
            var source = profile.KvCapacitySourceOf(maxRank, slots);
            var how = source switch
            {
                KvCapacitySource.PublishedPoint => "published vLLM capacity",
                KvCapacitySource.Interpolated => "interpolated between published vLLM capacities",
                _ => "extrapolated from published vLLM capacities",
            };
            return new LoraKvCapacity(tokens, source, Inv($"{how} for {slots} slots of rank {maxRank}"));
        }
        else
            missing = Inv($"no capacity is published for {model} at max_lora_rank {maxRank} (published ranks: {string.Join(", ", profile.KvCapacityCurves.Select(c => c.MaxLoraRank))})");
        var memory = LoraMemory.KvCapacityTokens(baseConfig.KvCapacityTokens, baseConfig.Model, slots, maxRank, baseConfig.KvBytesPerToken);
        return new LoraKvCapacity(memory, KvCapacitySource.Memory, Inv($"GPU memory less {slots} adapter slots of rank {maxRank} ({missing})"))
        {
            MissingCell = missing,
        };
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
