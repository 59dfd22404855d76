using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Placement;

/// <summary>What a placement planner may know: the swarm, the typical request, the load, and a seed.</summary>
/// <param name="Swarm">Servers in join order, clients, delays.</param>
/// <param name="Typical">Request lengths the plan is sized for.</param>
/// <param name="ArrivalRatePerSec">lambda, requests per second over all clients.</param>
/// <param name="FixedDelayMs">Per-request fixed delays (session start + allocation) counted in T1.</param>
/// <param name="Seed">Seed for any random choice (join order, rebalancing).</param>
public sealed record PlanningContext(SwarmSpec Swarm, RequestShape Typical, double ArrivalRatePerSec, double FixedDelayMs, int Seed)
{
    /// <summary>The part of <see cref="FixedDelayMs"/> that is the algorithm's allocation delay (the rest is the initial delay).</summary>
    public double AllocationDelayMs { get; init; }

    /// <summary>s_c of the typical request; a typical request without tokens is a user error.</summary>
    public double TypicalSessionCacheBytesPerBlock()
    {
        var sc = Swarm.Model.SessionCacheBytesPerBlock(Typical.PromptTokens, Typical.OutputTokens);
        return sc > 0 ? sc
            : throw new StamenInputException("(scenario)", "typical", "the typical request has no tokens, so its cache size is zero",
                "give the typical request prompt and output lengths of at least 1");
    }
}
