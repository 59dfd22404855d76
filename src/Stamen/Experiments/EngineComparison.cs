using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;

namespace Stamen.Experiments;

/// <summary>Runs policies of an engine scenario one after another on the same requests.</summary>
public static class EngineComparison
{
    /// <summary>One run per policy (the scenario's when <paramref name="policies"/> is null), in order, on one request list.</summary>
    public static IReadOnlyList<EngineRunResult> Run(EngineScenario scenario, int? seed = null, IReadOnlyList<EnginePolicy>? policies = null,
        IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var chosen = policies ?? scenario.Policies;
        var requests = scenario.Requests(seed);
        var results = new List<EngineRunResult>(chosen.Count);
        progress?.Report(new ExperimentProgress(0, chosen.Count));
        foreach (var policy in chosen)
        {
            results.Add(EngineTwin.Run(scenario.Deployment, policy, requests));
            progress?.Report(new ExperimentProgress(results.Count, chosen.Count));
        }
        return results;
    }
}
