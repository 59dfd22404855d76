using Stamen.Hardware;
using Stamen.Tests.Support;

namespace Stamen.Tests.Hardware;

public class GpuCatalogTests
{
    [Fact]
    public void BuiltIn_HasTheReferenceTableAndTheMigSlice()
    {
        string[] expected = ["a100-40gb", "a100-80gb", "h100-sxm", "l40s", "a40", "l4", "a10g", "t4", "v100-16gb", "l4x2", "t4x2", "t4x4", "rtx-3090", "rtx-4090", "a100-mig-1g.10gb"];

        Assert.Equal(expected.Order(StringComparer.OrdinalIgnoreCase), GpuCatalog.BuiltIn.Names);
    }

    [Theory]
    [InlineData("l4x2", "l4", 2)]
    [InlineData("t4x2", "t4", 2)]
    [InlineData("t4x4", "t4", 4)]
    public void MultiGpuMachines_AreNTimesOneGpu_WithHelixsMeasuredTimes(string machine, string gpu, int n)
    {
        var m = GpuCatalog.BuiltIn.Find(machine);
        var one = GpuCatalog.BuiltIn.Find(gpu);
        Assert.Equal((n * one.PeakTflops, n * one.BandwidthBytesPerSec, n * one.MemoryBytes), (m.PeakTflops, m.BandwidthBytesPerSec, m.MemoryBytes));
        // Helix's profile of the whole machine: the decode table's two-token row is the one-token time.
        var profile = Stamen.Helix.HelixProfiles.Load(Path.GetDirectoryName(RepositoryData.PathTo("helix/profiles/machine_settings.json"))!, "llama2_70b")
            .For(machine, "t", "t");
        Assert.Equal(profile.Decode.MsPerLayer(2), m.CalibrationFor("llama-2-70b")!.DecodeMsPerBlock, 9);
    }

    [Fact]
    public void BuiltIn_EveryGpu_HasPositiveFiguresAndAtMostNominalMemory()
    {
        foreach (var name in GpuCatalog.BuiltIn.Names)
        {
            var gpu = GpuCatalog.BuiltIn.Find(name);
            Assert.True(gpu.PeakTflops > 0 && gpu.BandwidthBytesPerSec > 0 && gpu.MemoryBytes > 0, name);
            Assert.True(gpu.MemoryBytes <= 80e9, name);
        }
    }

    [Fact]
    public void BuiltIn_A100AndMig_MatchTheReferenceSwarmConstants()
    {
        var a100 = GpuCatalog.BuiltIn.Find("a100-80gb");
        var mig = GpuCatalog.BuiltIn.Find("a100-mig-1g.10gb");

        Assert.Equal(TestSwarms.A100MemoryBytes, a100.MemoryBytes, 1);
        Assert.Equal(TestSwarms.MigMemoryBytes, mig.MemoryBytes, 1);
        Assert.Equal(2039e9, a100.BandwidthBytesPerSec, 1);
        Assert.Equal(TestSwarms.A100, a100.CalibrationFor("bloom-176b"));
        Assert.Equal(TestSwarms.Mig, mig.CalibrationFor("BLOOM-176B"));
        Assert.Null(a100.MaxBlocks);
        Assert.Equal(4, mig.MaxBlocks);
    }

    [Fact]
    public void Find_UnknownName_ListsKnownNames()
    {
        var e = Assert.Throws<StamenInputException>(() => GpuCatalog.BuiltIn.Find("b200"));

        Assert.Equal(GpuCatalog.BuiltInSource, e.File);
        Assert.Equal("gpu", e.Field);
        Assert.Contains("h100-sxm", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void WithYaml_OverridesUsableMemoryAndAddsCalibration()
    {
        var catalog = GpuCatalog.BuiltIn.WithYaml("""
            gpus:
              - name: l4
                peak_tflops: 121
                bandwidth_gb_per_sec: 300
                memory_gb: 22.5
                calibrations:
                  llama-3.1-8b: { decode_ms_per_block: 0.9, prefill_ms_per_token: 0.01, prefill_fixed_ms: 1 }
            """, "site.yaml");

        var l4 = catalog.Find("L4");

        Assert.Equal(22.5e9, l4.MemoryBytes, 1);
        Assert.Equal(0.9, l4.CalibrationFor("llama-3.1-8b")!.DecodeMsPerBlock);
        Assert.Equal(24e9, GpuCatalog.BuiltIn.Find("l4").MemoryBytes, 1);
    }

    [Theory]
    [InlineData("bandwidth_gb_per_sec: -1", "gpus[0].bandwidth_gb_per_sec")]
    [InlineData("memory_gb: 0", "gpus[0].memory_gb")]
    [InlineData("max_blocks: 0", "gpus[0].max_blocks")]
    [InlineData("calibrations: { m: { decode_ms_per_block: 0, prefill_ms_per_token: 1, prefill_fixed_ms: 1 } }", "gpus[0].calibrations.m.decode_ms_per_block")]
    public void WithYaml_BadEntry_NamesFileAndField(string line, string field)
    {
        var yaml = "gpus:\n  - name: g\n    peak_tflops: 10\n    bandwidth_gb_per_sec: 100\n    memory_gb: 8\n    " + line + "\n";
        var key = line.Split(':')[0];
        var firstOccurrence = yaml.IndexOf("    " + key + ":", StringComparison.Ordinal);
        if (firstOccurrence >= 0 && firstOccurrence != yaml.LastIndexOf("    " + key + ":", StringComparison.Ordinal))
            yaml = yaml.Remove(firstOccurrence, yaml.IndexOf('\n', firstOccurrence) - firstOccurrence + 1);

        var e = Assert.Throws<StamenInputException>(() => GpuCatalog.BuiltIn.WithYaml(yaml, "site.yaml"));

        Assert.Equal("site.yaml", e.File);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void WithYaml_DuplicateName_Throws()
    {
        const string entry = "  - { name: g, peak_tflops: 1, bandwidth_gb_per_sec: 1, memory_gb: 1 }\n";

        var e = Assert.Throws<StamenInputException>(() => GpuCatalog.BuiltIn.WithYaml("gpus:\n" + entry + entry, "site.yaml"));

        Assert.Equal("gpus[1].name", e.Field);
    }
}
