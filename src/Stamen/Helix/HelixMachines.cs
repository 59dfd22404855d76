using System.Globalization;
using System.Text.RegularExpressions;
using Stamen.IO;

namespace Stamen.Helix;

/// <summary>A machine type of Helix's <c>machine_profiles.ini</c>: VRAM and NIC speeds in bytes (Helix: GB = 1e9, gbps = 1e9 bytes/s).</summary>
public sealed record HelixMachine(string Type, double VramBytes, double InboundBytesPerSec, double OutboundBytesPerSec);

/// <summary>Reads Helix's <c>machine_profiles.ini</c>; -1 (the coordinator's unused fields) reads as 0.</summary>
public static partial class HelixMachines
{
    public static IReadOnlyDictionary<string, HelixMachine> Load(string path)
    {
        var text = BoundedFile.ReadAllText(path, HelixClusterFile.MaxFileBytes, "Helix machine profiles");
        var result = new Dictionary<string, HelixMachine>(StringComparer.OrdinalIgnoreCase);
        foreach (var (section, keys) in HelixFiles.Sections(text, path))
            result[section] = new HelixMachine(section, Bytes(path, section, keys, "vram_size"), Bytes(path, section, keys, "inbound_nic_speed"),
                Bytes(path, section, keys, "outbound_nic_speed"));
        return result;
    }

    private static double Bytes(string file, string section, IReadOnlyDictionary<string, string> keys, string key)
    {
        var text = keys.GetValueOrDefault(key)?.Trim() ?? throw new StamenInputException(file, $"[{section}] {key}", "missing", $"write e.g. {key} = 10 * gbps (or -1)");
        if (text == "-1") return 0;
        var m = Quantity().Match(text);
        var scale = m.Success ? m.Groups[2].Value switch { "GB" or "gbps" => 1e9, "MB" or "mbps" => 1e6, "KB" or "kbps" => 1e3, _ => 0 } : 0;
        if (scale == 0 || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !(v > 0 && v * scale < 1e18))
            throw new StamenInputException(file, $"[{section}] {key}", $"'{text}' is not N * GB|MB|KB or N * gbps|mbps|kbps", $"write e.g. {key} = 10 * gbps");
        return v * scale;
    }

    [GeneratedRegex(@"^([0-9.eE+]+)\s*\*\s*([A-Za-z]+)$")]
    private static partial Regex Quantity();
}
