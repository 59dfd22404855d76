using Stamen.Algorithms;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Scenarios;

/// <summary>One Monte Carlo run of a scenario made concrete: the swarm and the requests.</summary>
/// <param name="Run">Run index from 0.</param>
/// <param name="Seed">The run's seed; every random choice of the run derives from it.</param>
/// <param name="Swarm">Servers in join order, clients, resolved delays.</param>
/// <param name="Requests">Arrivals in time order.</param>
/// <param name="Typical">Request lengths the planners size caches for (mean lengths, rounded up).</param>
/// <param name="ArrivalRatePerSec">The load plans are sized for (<see cref="RateSource"/> says where it came from).</param>
/// <param name="NodeNames">Topology node names by index, or null without a topology.</param>
public sealed record ResolvedRun(int Run, int Seed, SwarmSpec Swarm, IReadOnlyList<SwarmRequest> Requests, RequestShape Typical, double ArrivalRatePerSec,
    IReadOnlyList<string>? NodeNames)
{
    /// <summary>Where <see cref="ArrivalRatePerSec"/> came from: "given" (workload.planning_rate_per_s), "poisson rate", or "estimated from the arrivals".</summary>
    public string RateSource { get; init; } = "given";
}

/// <summary>An algorithm of the scenario with its parts checked against their catalogs.</summary>
/// <param name="Name">Name shown in results.</param>
/// <param name="Parts">Placement, routing and admission names.</param>
/// <param name="SessionStartMs">Fixed delay before every session (0 when fixed delays are off).</param>
/// <param name="AllocationMs">Fixed allocation delay of this algorithm (0 when fixed delays are off).</param>
public sealed record ResolvedAlgorithm(string Name, SwarmAlgorithm Parts, double SessionStartMs, double AllocationMs)
{

    public double FixedDelayMs => SessionStartMs + AllocationMs;
}
