namespace Stamen.Simulation.Engine;

/// <summary>What one iteration computes, as the step-time models need it.</summary>
/// <param name="PrefillTokens">Prompt (or recompute) tokens computed this iteration, chunks included.</param>
/// <param name="DecodeRequests">Requests decoding one token this iteration.</param>
/// <param name="DecodeContextTokens">KV tokens those decodes read (their contexts, summed).</param>
/// <param name="BatchRequests">Requests in the batch (decodes plus prefills).</param>
public readonly record struct IterationShape(int PrefillTokens, int DecodeRequests, long DecodeContextTokens, int BatchRequests);

/// <summary>Milliseconds one engine iteration takes.</summary>
public interface IStepTimeModel
{
    /// <summary>Wall time of one iteration computing <paramref name="shape"/>; must be positive.</summary>
    double StepMs(IterationShape shape);
}

/// <summary>
/// Roofline per iteration: prefill is compute bound, decode is the slower of its compute and its
/// memory traffic (all weights plus the KV the decodes read):
/// <c>ms = P F / (peak MFU_p) + max(D F / (peak MFU_d), (W + K kv) / (BW MBU))</c>, with P prefill tokens,
/// D decodes, F FLOPs per token (2 x params of all blocks; attention over the context and the head ignored),
/// W weight bytes, K KV tokens read and kv bytes per token. The weight read is paid once per iteration
/// even without decodes, which is conservative for prefill-only steps.
/// </summary>
public sealed class RooflineStepTimeModel : IStepTimeModel
{
    /// <summary>Prefill model-FLOPs utilisation; the reference gives 0.3-0.45.</summary>
    public const double DefaultPrefillMfu = 0.4;

    /// <summary>Decode model-FLOPs utilisation; the reference gives 0.1-0.3.</summary>
    public const double DefaultDecodeMfu = 0.2;

    /// <summary>Memory-bandwidth utilisation; well-tuned decode kernels reach about 0.8 of peak.</summary>
    public const double DefaultMbu = 0.8;

    private readonly double _prefillMsPerToken;
    private readonly double _decodeComputeMsPerToken;
    private readonly double _weightReadMs;
    private readonly double _kvReadMsPerToken;

    public RooflineStepTimeModel(EngineConfig config, double prefillMfu = DefaultPrefillMfu, double decodeMfu = DefaultDecodeMfu, double mbu = DefaultMbu)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (prefillMfu is <= 0 or > 1 || decodeMfu is <= 0 or > 1 || mbu is <= 0 or > 1)
            throw new StamenInputException("engine", "roofline", "MFU and MBU must be in (0, 1]", "use e.g. MFU 0.4 / 0.2 and MBU 0.8");
        var flopsPerToken = config.Model.FlopsPerTokenPerBlock * config.Model.NumBlocks;
        var peakFlopsPerMs = config.Gpu.PeakTflops * 1e12 / 1000.0;
        var bytesPerMs = config.Gpu.BandwidthBytesPerSec / 1000.0;
        _prefillMsPerToken = flopsPerToken / (peakFlopsPerMs * prefillMfu);
        _decodeComputeMsPerToken = flopsPerToken / (peakFlopsPerMs * decodeMfu);
        _weightReadMs = config.WeightBytes / (bytesPerMs * mbu);
        _kvReadMsPerToken = config.KvBytesPerToken / (bytesPerMs * mbu);
    }

    /// <summary>Least time of an iteration: reading the weights once.</summary>
    public double WeightReadMs => _weightReadMs;

    /// <summary>Least time per computed token, prefill or decode (the faster of the two MFUs).</summary>
    public double MinComputeMsPerToken => Math.Min(_prefillMsPerToken, _decodeComputeMsPerToken);

    public double StepMs(IterationShape shape) =>
        shape.PrefillTokens * _prefillMsPerToken
        + Math.Max(shape.DecodeRequests * _decodeComputeMsPerToken, _weightReadMs + shape.DecodeContextTokens * _kvReadMsPerToken);
}

/// <summary>
/// Fitted linear step time, the multi-LoRA twin's form: <c>ms = c1 x batch + c2 + p x prefill tokens</c>,
/// where batch counts every request in the iteration. The papers publish c1 and c2 only; the
/// presets' prefill cost p is the roofline's at MFU 0.5 on an H100 (2 x params FLOPs per token at
/// 989 TFLOPS), our choice.
/// </summary>
/// <param name="C1MsPerRequest">Decode ms per request in the batch.</param>
/// <param name="C2Ms">Fixed ms per iteration.</param>
/// <param name="PrefillMsPerToken">Extra ms per prefill token.</param>
public sealed record FittedStepTimeModel(double C1MsPerRequest, double C2Ms, double PrefillMsPerToken) : IStepTimeModel
{
    /// <summary>Llama-3.1-8B on one H100 (vLLM 0.8.5), published c1 and c2; prefill about 16 GFLOP/token (2 x 8B params) at 0.5 x 989 TFLOPS.</summary>
    public static FittedStepTimeModel Llama31H100 { get; } = new(0.0437994, 10.54174836, 0.0325);

    /// <summary>Qwen-2.5-7B on one H100 (vLLM 0.8.5), published c1 and c2; prefill about 15.2 GFLOP/token (2 x 7.6B params) at 0.5 x 989 TFLOPS.</summary>
    public static FittedStepTimeModel Qwen25H100 { get; } = new(0.04894489, 10.61679297, 0.0307);

    /// <summary>The published H100 preset for a catalog model name (llama-3.1-8b, qwen-2.5-7b), or null.</summary>
    public static FittedStepTimeModel? H100PresetFor(string modelName) => modelName?.Trim().ToUpperInvariant() switch
    {
        "LLAMA-3.1-8B" => Llama31H100,
        "QWEN-2.5-7B" => Qwen25H100,
        _ => null,
    };

    public double StepMs(IterationShape shape) =>
        C1MsPerRequest * shape.BatchRequests + C2Ms + PrefillMsPerToken * shape.PrefillTokens;
}
