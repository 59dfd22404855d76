using System.Globalization;
using Stamen.Hardware;
using Stamen.Model;

namespace Stamen.Performance;

/// <summary>
/// Efficiency factors of the roofline used when a GPU has no calibration for a model.
/// Defaults and why:
/// <list type="bullet">
/// <item><see cref="MfuPrefill"/> 0.4: prefill is large matmuls, compute-bound; serving engines reach
/// 0.3-0.45 of peak (reference section 3).</item>
/// <item><see cref="MfuDecode"/> 0.3: the top of the 0.1-0.3 range reported for decode; at batch 1 the
/// compute term is far below the memory term anyway, so this rarely matters.</item>
/// <item><see cref="Mbu"/> 0.6: batch-1 decode streams every weight once per token; reported memory
/// bandwidth utilisation for single-stream decode is about 0.5-0.7, and 0.6 is the middle.
/// PETALS' bitsandbytes NF4 kernels run below even that (see the A100 comparison in the tests).</item>
/// <item><see cref="DecodeOverheadMs"/> 0.1: one block launches about 20 kernels per token in eager
/// PyTorch at roughly 5 us each.</item>
/// <item><see cref="PrefillOverheadMs"/> 1.0: the per-request per-block overhead t_o of about 1 ms in the
/// follow-up CG-BPRR work (reference section 1.8): session setup and cache allocation.</item>
/// </list>
/// </summary>
public sealed record RooflineOptions(
    double MfuPrefill = 0.4,
    double MfuDecode = 0.3,
    double Mbu = 0.6,
    double DecodeOverheadMs = 0.1,
    double PrefillOverheadMs = 1.0)
{
    public static readonly RooflineOptions Default = new();

    /// <summary>Throws one input error listing every bad value.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        void Fraction(double v, string name)
        {
            if (!(v > 0 && v <= 1)) problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} = {v} is not in (0, 1]"));
        }
        void NonNegative(double v, string name)
        {
            if (!(v >= 0) || double.IsInfinity(v)) problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} = {v} is negative"));
        }
        Fraction(MfuPrefill, "mfu_prefill");
        Fraction(MfuDecode, "mfu_decode");
        Fraction(Mbu, "mbu");
        NonNegative(DecodeOverheadMs, "decode_overhead_ms");
        NonNegative(PrefillOverheadMs, "prefill_overhead_ms");
        if (problems.Count > 0)
            throw new StamenInputException("(roofline options)", "roofline", string.Join("; ", problems),
                "use utilisation fractions in (0, 1] and non-negative overheads");
    }
}

/// <summary>
/// Per-block compute times of a server: the GPU's calibration for the model when it has one (measured
/// beats modelled), else a roofline estimate:
/// <code>
/// decode tau        = max(F / (P * mfu_decode), S / (B * mbu)) + decode_overhead_ms
/// prefill per token = F / (P * mfu_prefill)
/// prefill fixed     = S / (B * mbu) + prefill_overhead_ms
/// </code>
/// with F = FLOPs per token per block (2 x params), S = block weight bytes (s_m), P = peak FLOP/s and
/// B = memory bandwidth, all converted to ms. Decode of one token reads every weight once and does
/// little arithmetic, so it is memory-bound; prefill amortises one weight read over the prompt, so
/// its per-token cost is compute-bound and the weight read appears once, in the fixed part.
/// </summary>
public sealed class BlockTimeModel
{
    private readonly RooflineOptions _options;

    public BlockTimeModel(RooflineOptions? options = null)
    {
        _options = options ?? RooflineOptions.Default;
        _options.Validate();
    }

    /// <summary>Calibrated times of <paramref name="gpu"/> for <paramref name="model"/>, else the roofline's.</summary>
    public BlockTimes Resolve(GpuSpec gpu, ModelSpec model) => gpu.CalibrationFor(model.Name) ?? Roofline(gpu, model);

    /// <summary>Whether <see cref="Resolve"/> uses a measurement rather than the roofline.</summary>
    public static bool IsCalibrated(GpuSpec gpu, ModelSpec model) => gpu.CalibrationFor(model.Name) is not null;

    /// <summary>The roofline estimate, ignoring any calibration.</summary>
    public BlockTimes Roofline(GpuSpec gpu, ModelSpec model)
    {
        var flopsPerMs = gpu.PeakTflops * 1e12 / 1000.0;
        var bytesPerMs = gpu.BandwidthBytesPerSec / 1000.0;
        var weightReadMs = model.BlockBytes / (bytesPerMs * _options.Mbu);

        var decodeMs = Math.Max(model.FlopsPerTokenPerBlock / (flopsPerMs * _options.MfuDecode), weightReadMs)
                       + _options.DecodeOverheadMs;
        var prefillPerTokenMs = model.FlopsPerTokenPerBlock / (flopsPerMs * _options.MfuPrefill);
        var prefillFixedMs = weightReadMs + _options.PrefillOverheadMs;
        return new BlockTimes(decodeMs, prefillPerTokenMs, prefillFixedMs);
    }
}
