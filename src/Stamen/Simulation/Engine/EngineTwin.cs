namespace Stamen.Simulation.Engine;

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

/// <summary>
/// Runs one engine instance over a list of requests, iteration by iteration, under one policy and
/// one step-time model. Deterministic: requests are taken in (arrival, id) order and nothing is random.
/// </summary>
public static class EngineTwin
{
    /// <summary>Simulates <paramref name="requests"/>; with <paramref name="checkInvariants"/> every iteration
    /// re-checks KV and token accounting and throws <see cref="InvalidOperationException"/> on a violation (tests).</summary>
    public static EngineRunResult Run(EngineConfig config, EnginePolicy policy, IStepTimeModel stepTime,
        IReadOnlyList<EngineRequest> requests, bool checkInvariants = false) =>
        Run(config, policy, stepTime, requests, checkInvariants, out _);

    /// <summary>As <see cref="Run(EngineConfig, EnginePolicy, IStepTimeModel, IReadOnlyList{EngineRequest}, bool)"/>, also returning the KV bookkeeping.</summary>
    public static EngineRunResult Run(EngineConfig config, EnginePolicy policy, IStepTimeModel stepTime,
        IReadOnlyList<EngineRequest> requests, bool checkInvariants, out EngineAccounting accounting)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(stepTime);
        ArgumentNullException.ThrowIfNull(requests);
        config.Validate();
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            if (r.PromptTokens < 1 || r.OutputTokens < 1 || !double.IsFinite(r.ArrivalMs) || r.ArrivalMs < 0)
                throw new StamenInputException("engine", $"requests[{i}]", "needs prompt and output of at least 1 token and a finite arrival >= 0", "fix the request");
        }
        var loop = new EngineLoop(config, policy, stepTime, requests, checkInvariants);
        var result = loop.Run();
        accounting = loop.Accounting;
        return result;
    }
}
