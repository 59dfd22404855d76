namespace Stamen.Simulation.Engine;

/// <summary>What one iteration computes, as the step-time models need it.</summary>
/// <param name="PrefillTokens">Prompt (or recompute) tokens computed this iteration, chunks included.</param>
/// <param name="DecodeRequests">Requests decoding one token this iteration.</param>
/// <param name="DecodeContextTokens">KV tokens those decodes read (their contexts, summed).</param>
/// <param name="BatchRequests">Requests in the batch (decodes plus prefills).</param>
/// <param name="RunningRequests">Requests in the running list after scheduling, computed this step or not (the published fit's count).</param>
public readonly record struct IterationShape(int PrefillTokens, int DecodeRequests, long DecodeContextTokens, int BatchRequests, int RunningRequests);

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

/// <summary>Which requests a fitted step time's per-request term counts.</summary>
public enum FittedCount
{
    /// <summary>Every request in the running list after scheduling, as the published fit counts them.</summary>
    Running,

    /// <summary>Requests computed this step (decodes plus prefill chunks), our choice: a running request skipped this step costs nothing.</summary>
    Batch,
}

/// <summary>
/// Fitted linear step time, the multi-LoRA twin's form: <c>ms = c1 x counted requests + c0 + p x prefill tokens</c>.
/// The published fit is c1 x running + c0 with no prefill term (p = 0); the prefill term is Stamen's, a separate,
/// named part so the published form stays reachable (see Catalogs/step-times.yaml for the presets).
/// </summary>
/// <param name="C1MsPerRequest">Ms per counted request.</param>
/// <param name="C0Ms">Fixed ms per iteration.</param>
/// <param name="PrefillMsPerToken">Extra ms per prefill token (0 in the published form).</param>
/// <param name="Counts">Which requests c1 multiplies.</param>
public sealed record FittedStepTimeModel(double C1MsPerRequest, double C0Ms, double PrefillMsPerToken, FittedCount Counts) : IStepTimeModel
{
    public double StepMs(IterationShape shape) =>
        C1MsPerRequest * (Counts == FittedCount.Running ? shape.RunningRequests : shape.BatchRequests) + C0Ms + PrefillMsPerToken * shape.PrefillTokens;
}
