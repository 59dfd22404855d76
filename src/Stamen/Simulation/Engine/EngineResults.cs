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
/// <param name="Preemptions">Times the request lost its KV and went back to the waiting queue.</param>
public sealed record EngineRequestRecord(
    int Id, double ArrivalMs, double FirstTokenMs, double FinishMs, int PromptTokens, int OutputTokens,
    int GeneratedTokens, int Preemptions, EngineOutcome Outcome);

/// <summary>Mean and percentiles of one latency, in milliseconds; NaN when there are no samples.</summary>
public sealed record LatencySummary(double MeanMs, double P50Ms, double P90Ms, double P99Ms, int Samples);

/// <summary>
/// Aggregates of one run. Throughput counts tokens of completed requests over the makespan (first
/// arrival to last finish); recomputed prefill tokens are work, not throughput.
/// Time averages weight each iteration's end state by its duration; idle time counts as empty.
/// </summary>
/// <param name="KvUtilisation">Time-average of KV tokens held / capacity.</param>
/// <param name="KvWasteFraction">Time-average of KV token slots reserved or allocated but not holding a token, / capacity.</param>
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
    double KvWasteFraction);

/// <summary>
/// KV bookkeeping of a finished run, in the policy's memory unit: blocks for paged memory, tokens
/// for reserving (ORCA) memory. Conservation means every unit allocated was freed.
/// </summary>
/// <param name="AllocatedUnits">Blocks (or reserved tokens) ever allocated.</param>
/// <param name="FreedUnits">Blocks (or reserved tokens) ever freed.</param>
/// <param name="PeakUnitsInUse">Most in use at the end of any iteration.</param>
/// <param name="CapacityUnits">What the cache holds.</param>
/// <param name="PrefillTokensComputed">Prefill tokens computed, recomputation after preemption included.</param>
/// <param name="DecodeTokensComputed">Decode steps computed (one token each).</param>
public sealed record EngineAccounting(
    long AllocatedUnits, long FreedUnits, long PeakUnitsInUse, long CapacityUnits, long PrefillTokensComputed, long DecodeTokensComputed);

/// <summary>A run's metrics, per-request records (in input order) and KV bookkeeping.</summary>
public sealed record EngineRunResult(string PolicyName, EngineMetrics Metrics, IReadOnlyList<EngineRequestRecord> Requests, EngineAccounting Accounting);
