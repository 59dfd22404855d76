using System.Globalization;
using Stamen.Model;

namespace Stamen.Adapters;

/// <summary>
/// Analytic adapter memory, for models or ranks with no published <see cref="LoraProfile"/> curve:
/// vLLM preallocates every adapter slot at the max rank out of the memory the KV cache would
/// otherwise get, so each slot costs a fixed number of KV tokens.
/// </summary>
public static class LoraMemory
{
    /// <summary>Tokens per paged KV block in vLLM; the least cache an engine can start with.</summary>
    public const int BlockSizeTokens = 16;

    private const double BytesPerAdapterValue = 2.0; // bf16

    /// <summary>
    /// Bytes of one adapter slot at <paramref name="maxLoraRank"/>: A (in x r) and B (r x out) in
    /// bf16 for the seven projections of a llama-like block (q, k, v, o, gate, up, down), over
    /// every block. k and v project to the KV heads only, hence hidden x KV heads / heads.
    /// </summary>
    public static double AdapterSlotBytes(ModelSpec model, int maxLoraRank)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (maxLoraRank < 1)
            throw new StamenInputException("LoRA memory of " + model.Name, "lora.max_lora_rank",
                string.Create(CultureInfo.InvariantCulture, $"must be at least 1, got {maxLoraRank}"), "use e.g. 8, 16 or 32");
        double h = model.HiddenSize;
        double kv = h * model.NumKvHeads / model.NumHeads;
        double i = model.IntermediateSize;
        var inPlusOutPerBlock = (h + h) + (h + kv) + (h + kv) + (h + h) + (h + i) + (h + i) + (i + h);
        return maxLoraRank * inPlusOutPerBlock * model.NumBlocks * BytesPerAdapterValue;
    }

    /// <summary>
    /// KV tokens left of <paramref name="baseKvCapacityTokens"/> once <paramref name="slots"/>
    /// adapter slots are allocated: each slot's bytes are taken out whole tokens at a time. An
    /// input error when less than one block remains, since the engine would not start.
    /// </summary>
    /// <param name="baseKvCapacityTokens">Capacity without adapters.</param>
    /// <param name="model">Model served.</param>
    /// <param name="slots">Adapter slots (vLLM's max_loras).</param>
    /// <param name="maxLoraRank">Rank every slot is sized for.</param>
    /// <param name="kvBytesPerToken">KV bytes one token takes across the whole model.</param>
    public static long KvCapacityTokens(long baseKvCapacityTokens, ModelSpec model, int slots, int maxLoraRank, double kvBytesPerToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kvBytesPerToken);
        var source = "LoRA memory of " + model.Name;
        if (slots < 1)
            throw new StamenInputException(source, "lora.max_loras",
                string.Create(CultureInfo.InvariantCulture, $"must be at least 1, got {slots}"), "use e.g. 8");
        var slotBytes = AdapterSlotBytes(model, maxLoraRank);
        var lostTokens = (long)Math.Ceiling(slots * slotBytes / kvBytesPerToken);
        var left = baseKvCapacityTokens - lostTokens;
        return left >= BlockSizeTokens
            ? left
            : throw new StamenInputException(source, "lora.max_loras",
                string.Create(CultureInfo.InvariantCulture,
                    $"{slots} adapter slots at max_lora_rank {maxLoraRank} take {slots * slotBytes / 1e9:F2} GB and leave less than one KV block of {BlockSizeTokens} tokens"),
                "use fewer adapter slots or a smaller max_lora_rank");
    }
}
