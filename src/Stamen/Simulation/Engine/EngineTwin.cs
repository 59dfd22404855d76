namespace Stamen.Simulation.Engine;

/// <summary>
/// Runs engine instances over a list of requests, iteration by iteration, under one policy. Deterministic:
/// requests are taken in (arrival, id) order and nothing is random.
/// </summary>
public static class EngineTwin
{
    /// <summary>One instance, base model only.</summary>
    public static EngineRunResult Run(EngineConfig config, EnginePolicy policy, IStepTimeModel stepTime,
        IReadOnlyList<EngineRequest> requests, bool checkInvariants = false) =>
        Run(new EngineDeployment(config, stepTime), policy, requests, checkInvariants);

    /// <summary>Simulates <paramref name="requests"/> on the deployment; with <paramref name="checkInvariants"/> every iteration
    /// re-checks KV, adapter and token accounting and throws <see cref="InvalidOperationException"/> on a violation (tests).</summary>
    public static EngineRunResult Run(EngineDeployment deployment, EnginePolicy policy, IReadOnlyList<EngineRequest> requests,
        bool checkInvariants = false)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(requests);
        deployment.Validate();
        var adapters = deployment.Lora?.Adapters.Count ?? 0;
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            if (r.PromptTokens < 1 || r.OutputTokens < 1 || !double.IsFinite(r.ArrivalMs) || r.ArrivalMs < 0)
                throw new StamenInputException("engine", $"requests[{i}]", "needs prompt and output of at least 1 token and a finite arrival >= 0", "fix the request");
            if (r.Adapter < EngineRequest.BaseModel || r.Adapter >= adapters)
                throw new StamenInputException("engine", $"requests[{i}].adapter", $"adapter index {r.Adapter} is not one of the {adapters} listed adapters",
                    "list the adapter under lora.adapters, or leave it out for the base model");
        }
        return new EngineCluster(deployment, policy, requests, checkInvariants).Run();
    }
}
