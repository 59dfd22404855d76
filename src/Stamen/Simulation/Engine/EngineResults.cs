namespace Stamen.Simulation.Engine;

/// <summary>How a request left the engine.</summary>
public enum EngineOutcome
{
    /// <summary>All output tokens were generated.</summary>
    Completed,

    /// <summary>Refused at arrival: prompt + output exceeds the max context, or its KV could never fit in the cache.</summary>
    Rejected,
}

/// <summary>One request's history, enough to recompute any latency metric.</summary>
/// <param name="FirstTokenMs">When the first output token was emitted; NaN when rejected.</param>
/// <param name="FinishMs">When the last output token was emitted; NaN when rejected.</param>
/// <param name="GeneratedTokens">Output tokens emitted (equal to OutputTokens when completed).</param>
/// <param name="Preemptions">Times the request lost its KV (recompute or swap) and went back to the waiting queue.</param>
/// <param name="Adapter">Adapter name, or null for the base model.</param>
/// <param name="Instance">Engine instance that served (or rejected) it.</param>
public sealed record EngineRequestRecord(
    int Id, double ArrivalMs, double FirstTokenMs, double FinishMs, int PromptTokens, int OutputTokens,
    int GeneratedTokens, int Preemptions, EngineOutcome Outcome, string? Adapter = null, int Instance = 0);

/// <summary>Mean and percentiles of one latency, in milliseconds; NaN when there are no samples. Inter-token percentiles come
/// from a log histogram (within 0.05%, see <see cref="Stamen.Simulation.Metrics.LogHistogram"/>); the others are exact.</summary>
public sealed record LatencySummary(double MeanMs, double P50Ms, double P90Ms, double P99Ms, int Samples);

/// <summary>
/// Aggregates of one run. Throughput counts tokens of completed requests over the makespan (first
/// arrival to last finish); recomputed prefill tokens are work, not throughput.
/// Time averages weight each iteration's end state by its duration; idle time counts as empty.
/// </summary>
/// <param name="KvUtilisation">Time-average of KV tokens held / capacity (all instances).</param>
/// <param name="KvWasteFraction">Time-average of KV token slots reserved or allocated but not holding a token, / capacity.</param>
/// <param name="Starvation">Offered against served token rate over the arrival window.</param>
/// <param name="SwapOuts">Preemptions that swapped KV to CPU rather than dropping it.</param>
/// <param name="AdapterLoads">LoRA adapters brought into GPU slots.</param>
/// <param name="RemoteAttentionMs">Step time spent on remote attention over borrowed KV (DistKV), summed over instances.</param>
public sealed record EngineMetrics(
    double MakespanMs,
    int Completed,
    int Rejected,
    long Iterations,
    double OutputTokensPerSec,
    double InputTokensPerSec,
    double TotalTokensPerSec,
    LatencySummary TimeToFirstToken,
    LatencySummary InterTokenLatency,
    LatencySummary EndToEndLatency,
    int Preemptions,
    double KvUtilisation,
    double KvWasteFraction,
    StarvationSummary Starvation,
    int SwapOuts = 0,
    long AdapterLoads = 0,
    double RemoteAttentionMs = 0);

/// <summary>
/// The multi-LoRA twin's starvation test: a load is starved when the token rate served falls below 0.9 of the
/// rate offered. Both are measured over the arrival window (first to last arrival): offered counts prompt and
/// output tokens of every request arriving, served counts a request's prompt when its first token comes out
/// and each output token as it does, inside the window. Tokens still in flight at the window's end count
/// as not served, so keep the window long against a request's latency.
/// </summary>
public sealed record StarvationSummary(double OfferedTokensPerSec, double ServedTokensPerSec, bool Starved)
{
    /// <summary>Served below this fraction of offered is starvation.</summary>
    public const double Threshold = 0.9;

    public static StarvationSummary Of(long offeredTokens, long servedTokens, double windowMs)
    {
        if (!(windowMs > 0)) return new StarvationSummary(0, 0, false);
        var offered = offeredTokens * 1000.0 / windowMs;
        var served = servedTokens * 1000.0 / windowMs;
        return new StarvationSummary(offered, served, served < Threshold * offered);
    }
}

/// <summary>One adapter's share of a run.</summary>
public sealed record EngineAdapterMetrics(string Name, int Rank, int Requests, int Completed, StarvationSummary Starvation);

/// <summary>One instance's share of a run.</summary>
/// <param name="KvUtilisation">Time-average of its requests' KV tokens / its capacity (above 1 when it borrows).</param>
public sealed record EngineInstanceMetrics(int Index, int Routed, int Completed, long Iterations, int Preemptions, long AdapterLoads, double KvUtilisation);

/// <summary>KV tokens held by all instances / their capacity at one moment.</summary>
public readonly record struct KvSample(double TimeMs, double Utilisation);

/// <summary>
/// KV bookkeeping of a finished run, summed over instances, in the policy's memory unit: blocks for paged
/// memory, tokens for reserving (ORCA) memory. Conservation means every unit allocated was freed.
/// </summary>
/// <param name="AllocatedUnits">Blocks (or reserved tokens) ever allocated.</param>
/// <param name="FreedUnits">Blocks (or reserved tokens) ever freed.</param>
/// <param name="PeakUnitsInUse">Most one instance's requests held at the end of any of its iterations.</param>
/// <param name="CapacityUnits">What one instance's cache holds.</param>
/// <param name="PrefillTokensComputed">Prefill tokens computed, recomputation after preemption included.</param>
/// <param name="DecodeTokensComputed">Decode steps computed (one token each).</param>
public sealed record EngineAccounting(
    long AllocatedUnits, long FreedUnits, long PeakUnitsInUse, long CapacityUnits, long PrefillTokensComputed, long DecodeTokensComputed);

/// <summary>A run's metrics, per-request records (in input order) and KV bookkeeping, with per-instance and per-adapter
/// shares and KV use over time.</summary>
/// <param name="ItlPercentilesMs">Inter-token latency at each whole percentile 0..100 (from the run's log histogram; the gaps
/// themselves are not kept), for a CDF; null when not recorded.</param>
public sealed record EngineRunResult(
    string PolicyName,
    EngineMetrics Metrics,
    IReadOnlyList<EngineRequestRecord> Requests,
    EngineAccounting Accounting,
    IReadOnlyList<EngineInstanceMetrics> Instances,
    IReadOnlyList<EngineAdapterMetrics> Adapters,
    IReadOnlyList<KvSample> KvTimeline,
    IReadOnlyList<double>? ItlPercentilesMs = null)
{
    /// <summary>The fractions 0, 0.01, ..., 1 that <see cref="ItlPercentilesMs"/> is taken at.</summary>
    public static IReadOnlyList<double> PercentileFractions { get; } = [.. Enumerable.Range(0, 101).Select(k => k / 100.0)];
}
