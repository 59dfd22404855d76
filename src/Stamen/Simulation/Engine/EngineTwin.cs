namespace Stamen.Simulation.Engine;

/// <summary>
/// Runs one engine instance over a list of requests, iteration by iteration, under one policy and
/// one step-time model. Deterministic: requests are taken in (arrival, id) order and nothing is random.
/// </summary>
public static class EngineTwin
{
    /// <summary>Simulates <paramref name="requests"/>; with <paramref name="checkInvariants"/> every iteration
    /// re-checks KV and token accounting and throws <see cref="InvalidOperationException"/> on a violation (tests).</summary>
    public static EngineRunResult Run(EngineConfig config, EnginePolicy policy, IStepTimeModel stepTime,
        IReadOnlyList<EngineRequest> requests, bool checkInvariants = false)
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
        return new EngineLoop(config, policy, stepTime, requests, checkInvariants).Run();
    }
}
