using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Stamen.Catalogs;

namespace Stamen.Split;

/// <summary>Client devices by name (case-insensitive): the built-in Catalogs/devices.yaml, optionally extended by a user file of the same schema.</summary>
public sealed class DeviceCatalog
{
    public const string BuiltInSource = "(built-in device catalog)";

    private static readonly Lazy<DeviceCatalog> BuiltInCatalog =
        new(() => new DeviceCatalog([]).WithYaml(CatalogYaml.ReadEmbedded("devices.yaml"), BuiltInSource));

    private readonly Dictionary<string, DeviceSpec> _devices;

    private DeviceCatalog(Dictionary<string, DeviceSpec> devices) => _devices = new(devices, StringComparer.OrdinalIgnoreCase);

    public static DeviceCatalog BuiltIn => BuiltInCatalog.Value;

    public IReadOnlyList<string> Names => [.. _devices.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    public bool TryFind(string name, [NotNullWhen(true)] out DeviceSpec? device) => _devices.TryGetValue(name.Trim(), out device);

    /// <summary>This catalog plus the devices of a user YAML file.</summary>
    public DeviceCatalog WithFile(string path) => WithYaml(CatalogYaml.ReadUserFile(path, "device catalog"), path);

    public DeviceCatalog WithYaml(string yaml, string source)
    {
        var file = CatalogYaml.Parse<DeviceCatalogFile>(yaml, source);
        var devices = new Dictionary<string, DeviceSpec>(_devices, StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < file.Devices.Count; k++)
        {
            var e = file.Devices[k];
            var at = string.Create(CultureInfo.InvariantCulture, $"devices[{k}].");
            var name = CatalogYaml.Name(e.Name, source, at + "name");
            devices[name] = new DeviceSpec(name,
                CatalogYaml.Positive(e.PeakTflops, source, at + "peak_tflops"),
                CatalogYaml.Positive(e.BandwidthGbPerSec, source, at + "bandwidth_gb_per_sec") * 1e9,
                CatalogYaml.Positive(e.MemoryForModelGb, source, at + "memory_for_model_gb") * 1e9,
                Fraction(e.Mfu, source, at + "mfu"),
                Fraction(e.Mbu, source, at + "mbu"));
        }
        return new DeviceCatalog(devices);
    }

    private static double Fraction(double? value, string source, string field)
    {
        var v = CatalogYaml.Positive(value, source, field);
        return v <= 1 ? v : throw new StamenInputException(source, field, string.Create(CultureInfo.InvariantCulture, $"{v} is above 1"), "use a fraction in (0, 1]");
    }
}
