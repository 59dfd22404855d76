using System.Globalization;
using Stamen.Simulation.Engine;

namespace Stamen.Adapters;

/// <summary>
/// What serving LoRA adapters costs one engine of one model, as published for vLLM on an H100:
/// the time to bring an adapter onto the GPU, the step-time overhead of mixing adapters in a
/// batch, and the KV cache left once adapter slots are preallocated. Built from
/// <see cref="LoraProfileCatalog"/>, which validates the tables, so lookups here only check the
/// caller's arguments.
/// </summary>
/// <param name="ModelName">Model catalog key, e.g. <c>llama-3.1-8b</c>.</param>
/// <param name="LoadCostMsByRank">max_lora_rank -> adapter rank -> ms to copy one adapter CPU -> GPU.
/// Every row lists its own rank, so an adapter no larger than the max always has an entry.</param>
/// <param name="Overhead">k1 (percent per distinct adapter) and k2 (percent) of <see cref="StepMultiplier"/>.</param>
/// <param name="KvCapacityCurves">Published KV capacity against adapter slots, one curve per max rank.</param>
public sealed record LoraProfile(
    string ModelName,
    IReadOnlyDictionary<int, IReadOnlyDictionary<int, double>> LoadCostMsByRank,
    (double K1, double K2) Overhead,
    IReadOnlyList<KvCapacityCurve> KvCapacityCurves)
{
    private string Source => "LoRA profile " + ModelName;

    /// <summary>The scheduler's CPU time per step as published for this model, or null where none is.</summary>
    public SchedulerOverhead? SchedulerOverhead { get; init; }

    /// <summary>
    /// Ms to load one adapter of <paramref name="adapterRank"/> into an engine whose slots are sized
    /// for <paramref name="maxLoraRank"/>. Ranks between the published ones round up (to the next
    /// listed max rank, then the next listed adapter rank), since vLLM pads buffers to the max rank
    /// and a larger copy is the safe side; a max rank beyond the table is an input error rather
    /// than a guess.
    /// </summary>
    public double LoadCostMs(int maxLoraRank, int adapterRank)
    {
        if (maxLoraRank < 1)
            throw Input("lora.max_lora_rank", $"must be at least 1, got {maxLoraRank}", $"use e.g. 8, 16 or 32");
        if (adapterRank < 1)
            throw Input("lora.adapter_rank", $"must be at least 1, got {adapterRank}", $"use e.g. 8, 16 or 32");
        if (adapterRank > maxLoraRank)
            throw Input("lora.adapter_rank", $"adapter rank {adapterRank} exceeds max_lora_rank {maxLoraRank}",
                $"raise max_lora_rank to at least {adapterRank}");
        if (SmallestAtLeast(LoadCostMsByRank.Keys, maxLoraRank) is not { } maxKey)
        {
            var largest = LoadCostMsByRank.Count == 0 ? 0 : LoadCostMsByRank.Keys.Max();
            throw Input("lora.max_lora_rank", $"no adapter load cost is published for max_lora_rank {maxLoraRank} (largest is {largest})",
                $"use max_lora_rank {largest} or less");
        }
        var row = LoadCostMsByRank[maxKey];
        return SmallestAtLeast(row.Keys, adapterRank) is { } rankKey
            ? row[rankKey]
            : throw Input("lora.adapter_rank", $"no load cost is published for adapter rank {adapterRank} at max_lora_rank {maxKey}",
                $"use adapter rank {row.Keys.Max()} or less");
    }

    /// <summary>The load cost of each of <paramref name="ranks"/> into slots of <paramref name="maxLoraRank"/> (<see cref="LoadCostMs"/>).</summary>
    public Dictionary<int, double> LoadCostsFor(IEnumerable<int> ranks, int maxLoraRank) =>
        ranks.Distinct().ToDictionary(r => r, r => LoadCostMs(maxLoraRank, r));

    /// <summary>
    /// An engine serving <paramref name="adapters"/> with <paramref name="slots"/> slots of <paramref name="maxLoraRank"/>, paying
    /// everything this profile publishes: load costs, the per-step adapter overhead and the scheduler's overhead where published.
    /// </summary>
    public LoraEngineSettings EngineSettings(IReadOnlyList<LoraAdapter> adapters, int slots, int maxLoraRank)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        return new LoraEngineSettings(adapters, slots, maxLoraRank, LoadCostsFor(adapters.Select(a => a.Rank), maxLoraRank),
            new LoraOverhead(Overhead.K1, Overhead.K2)) { SchedulerOverhead = SchedulerOverhead };
    }

    /// <summary>
    /// Factor on the decode step time of a batch that mixes <paramref name="distinctAdapters"/>
    /// adapters: (k1 x n + k2) / 100. The fit is affine in n because each distinct adapter adds
    /// its own small matmuls to every layer.
    /// </summary>
    public double StepMultiplier(int distinctAdapters)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(distinctAdapters);
        return (Overhead.K1 * distinctAdapters + Overhead.K2) / 100.0;
    }

    /// <summary>
    /// KV tokens an engine holds with <paramref name="slots"/> adapter slots (max_loras) of
    /// <paramref name="maxLoraRank"/>: the published points exactly, straight lines between them,
    /// and the nearest segment's slope beyond them (floored at 0). Null when no curve is published
    /// for that rank, so the caller can fall back to <see cref="LoraMemory"/>. At or past the
    /// published failure the engine does not start, which is an input error, not a small cache.
    /// </summary>
    public long? KvCapacityTokens(int maxLoraRank, int slots)
    {
        if (slots < 1)
            throw Input("lora.max_loras", $"must be at least 1, got {slots}", $"use e.g. 8");
        var curve = KvCapacityCurves.FirstOrDefault(c => c.MaxLoraRank == maxLoraRank);
        if (curve is null)
            return null;
        if (curve.FailsAtSlots is { } fails && slots >= fails)
            throw Input("lora.max_loras",
                $"the published engine fails to start with {slots} adapter slots at max_lora_rank {maxLoraRank} (it fails from {fails})",
                $"use max_loras {curve.Points[^1].Slots} or less, the largest published count that starts at this rank");
        return curve.TokensAt(slots);
    }

    /// <summary>How <see cref="KvCapacityTokens"/> gets its value at these slots: a published point, interpolated or extrapolated.</summary>
    /// <exception cref="InvalidOperationException">No curve is published for <paramref name="maxLoraRank"/>.</exception>
    public KvCapacitySource KvCapacitySourceOf(int maxLoraRank, int slots)
    {
        var curve = KvCapacityCurves.FirstOrDefault(c => c.MaxLoraRank == maxLoraRank)
            ?? throw new InvalidOperationException($"no KV curve for max rank {maxLoraRank}");
        if (curve.Points.Any(p => p.Slots == slots)) return KvCapacitySource.PublishedPoint;
        return slots > curve.Points[0].Slots && slots < curve.Points[^1].Slots ? KvCapacitySource.Interpolated : KvCapacitySource.Extrapolated;
    }

    private static int? SmallestAtLeast(IEnumerable<int> keys, int value)
    {
        int? best = null;
        foreach (var k in keys)
            if (k >= value && (best is null || k < best))
                best = k;
        return best;
    }

    private StamenInputException Input(string field, FormattableString problem, FormattableString fix) =>
        new(Source, field, problem.ToString(CultureInfo.InvariantCulture), fix.ToString(CultureInfo.InvariantCulture));
}

/// <summary>One published measurement: KV tokens left with <paramref name="Slots"/> adapter slots.</summary>
/// <param name="Slots">Adapter slots on the GPU (vLLM's max_loras).</param>
/// <param name="Tokens">KV-cache capacity in tokens (whole model).</param>
public sealed record KvCapacityPoint(int Slots, long Tokens);

/// <summary>
/// KV capacity against adapter slots at one max rank. Points are in increasing slots with
/// non-increasing tokens (buffers for every slot are preallocated out of the cache).
/// </summary>
/// <param name="MaxLoraRank">vLLM's max_lora_rank the curve was measured at.</param>
/// <param name="Points">Published measurements, increasing in slots.</param>
/// <param name="FailsAtSlots">Smallest published slot count at which the engine fails to start, or null.</param>
public sealed record KvCapacityCurve(int MaxLoraRank, IReadOnlyList<KvCapacityPoint> Points, int? FailsAtSlots)
{
    /// <summary>
    /// Piecewise-linear value at <paramref name="slots"/>, extrapolating the end segments; computed
    /// in integers up to one division so published points come back exactly.
    /// </summary>
    internal long TokensAt(int slots)
    {
        if (Points.Count == 1)
            return Points[0].Tokens;
        var i = 0;
        while (i < Points.Count - 2 && slots >= Points[i + 1].Slots)
            i++;
        var (a, b) = (Points[i], Points[i + 1]);
        var rise = (double)(b.Tokens - a.Tokens) * (slots - a.Slots);
        var tokens = a.Tokens + (long)Math.Floor(rise / (b.Slots - a.Slots));
        return Math.Max(0, tokens);
    }
}
