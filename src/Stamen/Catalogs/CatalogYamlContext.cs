using YamlDotNet.Serialization;

namespace Stamen.Catalogs;

/// <summary>
/// The catalog files' types for YamlDotNet's source generator: the catalogs are read without reflection, so the Native AOT
/// build of the command reads them as the JIT build does. Public only because the generator declares its half public.
/// </summary>
[YamlStaticContext]
[YamlSerializable(typeof(ModelCatalogFile))]
[YamlSerializable(typeof(ModelEntry))]
[YamlSerializable(typeof(GpuCatalogFile))]
[YamlSerializable(typeof(GpuEntry))]
[YamlSerializable(typeof(CalibrationEntry))]
[YamlSerializable(typeof(DeviceCatalogFile))]
[YamlSerializable(typeof(DeviceEntry))]
[YamlSerializable(typeof(LoraCatalogFile))]
[YamlSerializable(typeof(LoraProfileEntry))]
[YamlSerializable(typeof(SchedulerOverheadEntry))]
[YamlSerializable(typeof(LoraOverheadEntry))]
[YamlSerializable(typeof(KvCapacityEntry))]
[YamlSerializable(typeof(KvCapacityPointEntry))]
[YamlSerializable(typeof(StepTimeCatalogFile))]
[YamlSerializable(typeof(StepTimePresetEntry))]
public partial class CatalogYamlContext : StaticContext;
