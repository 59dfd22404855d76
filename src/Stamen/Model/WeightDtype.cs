using System.Globalization;

namespace Stamen.Model;

/// <summary>
/// Storage formats for block weights and what they cost in bits per parameter.
/// NF4 and int4 count 4.25 bits: 4-bit codes plus one fp16 absmax scale per 64 weights
/// (bitsandbytes blocksize 64, 16 / 64 = 0.25), as the reference's BLOOM figures use.
/// Int8 counts 8 bits: LLM.int8 keeps one fp16 scale per row, under 0.1% of a large matrix.
/// The KV cache stays in 16-bit for every quantised format (that is what PETALS does).
/// </summary>
public static class WeightDtype
{
    private static readonly Dictionary<string, (double Bits, double KvBytes)> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fp32"] = (32, 4), ["float32"] = (32, 4),
        ["fp16"] = (16, 2), ["float16"] = (16, 2),
        ["bf16"] = (16, 2), ["bfloat16"] = (16, 2),
        ["int8"] = (8, 2),
        ["nf4"] = (4.25, 2), ["int4"] = (4.25, 2),
    };

    /// <summary>Accepted names, for error messages.</summary>
    public static string KnownNames => string.Join(", ", Formats.Keys);

    /// <summary>Bits per stored weight and bytes per cached key/value element, or null for an unknown name.</summary>
    public static (double BitsPerParam, double KvBytesPerValue)? TryResolve(string name) =>
        Formats.TryGetValue(name.Trim(), out var f) ? f : null;

    /// <summary>Resolves <paramref name="name"/> or throws naming the file and field it came from.</summary>
    public static (double BitsPerParam, double KvBytesPerValue) Resolve(string name, string file, string field) =>
        TryResolve(name) ?? throw new StamenInputException(file, field,
            string.Create(CultureInfo.InvariantCulture, $"unknown dtype '{name}'"), $"use one of {KnownNames}");
}
