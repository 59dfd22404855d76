using Stamen.Hardware;
using Stamen.Model;
using Stamen.Performance;

namespace Stamen.Tests.Performance;

public class BlockTimeModelTests
{
    private static readonly ModelSpec Bloom = ModelCatalog.BuiltIn.Find("bloom-176b");
    private static readonly GpuSpec A100 = GpuCatalog.BuiltIn.Find("a100-80gb");
    private static readonly GpuSpec Mig = GpuCatalog.BuiltIn.Find("a100-mig-1g.10gb");

    [Fact]
    public void Resolve_CalibratedPair_ReturnsTheCalibration()
    {
        var model = new BlockTimeModel();

        Assert.Equal(A100.CalibrationFor(Bloom.Name), model.Resolve(A100, Bloom));
        Assert.NotEqual(model.Roofline(A100, Bloom), model.Resolve(A100, Bloom));
        Assert.True(BlockTimeModel.IsCalibrated(A100, Bloom));
    }

    [Fact]
    public void Resolve_UncalibratedPair_ReturnsTheRoofline()
    {
        var model = new BlockTimeModel();
        var h100 = GpuCatalog.BuiltIn.Find("h100-sxm");

        Assert.False(BlockTimeModel.IsCalibrated(h100, Bloom));
        Assert.Equal(model.Roofline(h100, Bloom), model.Resolve(h100, Bloom));
    }

    [Fact]
    public void Roofline_BatchOneDecode_IsMemoryBoundWeightRead()
    {
        var o = RooflineOptions.Default;
        var times = new BlockTimeModel(o).Roofline(A100, Bloom);

        var weightReadMs = Bloom.BlockBytes / (A100.BandwidthBytesPerSec / 1000 * o.Mbu);
        var computeMs = Bloom.FlopsPerTokenPerBlock / (A100.PeakTflops * 1e9 * o.MfuDecode);
        Assert.True(weightReadMs > computeMs);
        Assert.Equal(weightReadMs + o.DecodeOverheadMs, times.DecodeMsPerBlock, 9);
        Assert.Equal(weightReadMs + o.PrefillOverheadMs, times.PrefillFixedMs, 9);
    }

    [Theory]
    [InlineData(100e9, 200e9)]
    [InlineData(255e9, 2039e9)]
    [InlineData(1000e9, 3350e9)]
    public void Roofline_MoreBandwidth_FasterDecode(double slowBytesPerSec, double fastBytesPerSec)
    {
        var model = new BlockTimeModel();
        var slow = A100 with { BandwidthBytesPerSec = slowBytesPerSec };
        var fast = A100 with { BandwidthBytesPerSec = fastBytesPerSec };

        Assert.True(model.Roofline(fast, Bloom).DecodeMsPerBlock < model.Roofline(slow, Bloom).DecodeMsPerBlock);
    }

    [Fact]
    public void Roofline_MoreParamsPerBlock_SlowerEverywhere()
    {
        var model = new BlockTimeModel();
        foreach (var gpuName in GpuCatalog.BuiltIn.Names)
        {
            var gpu = GpuCatalog.BuiltIn.Find(gpuName);
            var small = model.Roofline(gpu, Bloom with { ParamsPerBlock = Bloom.ParamsPerBlock / 2 });
            var large = model.Roofline(gpu, Bloom);

            Assert.True(large.DecodeMsPerBlock > small.DecodeMsPerBlock, gpuName);
            Assert.True(large.PrefillMsPerToken > small.PrefillMsPerToken, gpuName);
            Assert.True(large.PrefillFixedMs > small.PrefillFixedMs, gpuName);
        }
    }

    [Fact]
    public void Roofline_MorePeakFlops_FasterPrefill()
    {
        var model = new BlockTimeModel();

        Assert.True(model.Roofline(A100 with { PeakTflops = 989 }, Bloom).PrefillMsPerToken
                    < model.Roofline(A100, Bloom).PrefillMsPerToken);
    }

    /// <summary>
    /// The roofline is for GPUs without measurements; against the published BLOOM NF4 measurements it
    /// should land within 3x for decode (the figure that dominates per-token time) and A100 prefill
    /// per token. It underestimates: bitsandbytes NF4 kernels run below the roofline. The published
    /// fixed prefill cost (33 ms A100, 206 ms MIG per block) is 15-30x the roofline's and not tested.
    /// </summary>
    [Fact]
    public void Roofline_BloomOnA100AndMig_WithinThreeTimesOfPublishedCalibration()
    {
        var model = new BlockTimeModel();
        var a100 = model.Roofline(A100, Bloom);
        var mig = model.Roofline(Mig, Bloom);

        Assert.InRange(A100.CalibrationFor(Bloom.Name)!.DecodeMsPerBlock / a100.DecodeMsPerBlock, 1.0 / 3, 3);
        Assert.InRange(Mig.CalibrationFor(Bloom.Name)!.DecodeMsPerBlock / mig.DecodeMsPerBlock, 1.0 / 3, 3);
        Assert.InRange(A100.CalibrationFor(Bloom.Name)!.PrefillMsPerToken / a100.PrefillMsPerToken, 1.0 / 3, 3);
    }

    [Theory]
    [InlineData(0, 0.3, 0.6, 0.1, 1)]
    [InlineData(0.4, 1.5, 0.6, 0.1, 1)]
    [InlineData(0.4, 0.3, 0.6, -0.1, 1)]
    public void Constructor_BadOptions_Throws(double mfuPrefill, double mfuDecode, double mbu, double decodeOverhead, double prefillOverhead)
    {
        Assert.Throws<StamenInputException>(() =>
            new BlockTimeModel(new RooflineOptions(mfuPrefill, mfuDecode, mbu, decodeOverhead, prefillOverhead)));
    }
}
