using System.Globalization;

namespace Stamen.Model;

/// <summary>
/// Consistency checks every model passes whatever its source (catalog or config.json): heads
/// must split evenly into KV groups and the hidden size into heads, or the cache and FLOP
/// figures derived from them are meaningless.
/// </summary>
internal static class ModelShapeCheck
{
    public static void Check(ModelSpec m, string source, string fieldPrefix)
    {
        if (m.NumKvHeads > m.NumHeads || m.NumHeads % m.NumKvHeads != 0)
            throw new StamenInputException(source, fieldPrefix + "num_kv_heads",
                string.Create(CultureInfo.InvariantCulture, $"{m.NumHeads} heads do not split into {m.NumKvHeads} KV heads"),
                "num_heads must be a multiple of num_kv_heads");
        if (m.HiddenSize % m.NumHeads != 0)
            throw new StamenInputException(source, fieldPrefix + "num_heads",
                string.Create(CultureInfo.InvariantCulture, $"hidden size {m.HiddenSize} is not a multiple of {m.NumHeads} heads"),
                "check hidden_size and num_heads");
        if (m.ParamsPerBlock <= 0)
            throw new StamenInputException(source, fieldPrefix + "params_per_block", "must be positive", "use a value above 0");
        if (!(m.WeightOverheadFactor >= 1) || double.IsInfinity(m.WeightOverheadFactor))
            throw new StamenInputException(source, fieldPrefix + "weight_overhead_factor",
                string.Create(CultureInfo.InvariantCulture, $"must be at least 1, got {m.WeightOverheadFactor}"),
                "use 1.0 for no overhead");
    }
}
