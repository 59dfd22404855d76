using Stamen.Plans;
using Stamen.Routing;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Simulation.Swarm;

/// <summary>What one twin run simulates.</summary>
/// <param name="Swarm">Servers, clients, delays.</param>
/// <param name="Placement">Blocks and cache budget of every server.</param>
/// <param name="Router">Chooses each request's chain, seeing the live <see cref="SwarmState"/>.</param>
/// <param name="Admission">How a route obtains cache (<see cref="AdmissionPolicy.FailFast"/> or <see cref="AdmissionPolicy.Wait"/>).</param>
/// <param name="Requests">The workload, in any order (simulated in arrival order, ties by position).</param>
/// <param name="Seed">Run seed; the router's <see cref="Random"/> comes from <see cref="SeedStreams.SwarmRouter"/>.</param>
public sealed record SwarmTwinInput(
    SwarmSpec Swarm,
    BlockPlacement Placement,
    IRouter Router,
    AdmissionPolicy Admission,
    IReadOnlyList<SwarmRequest> Requests,
    int Seed)
{
    /// <summary>Fixed delay at the start of every session (published simulator: 70 ms).</summary>
    public double SessionStartMs { get; init; } = 70;

    /// <summary>Fixed per-request allocation delay of the algorithm (published: 60 s CG-BP + WS-RR, 250 s PETALS).</summary>
    public double AllocationMs { get; init; }

    /// <summary>Record cache use per server at every session start and end.</summary>
    public bool RecordTimeline { get; init; }

    /// <summary>Check <see cref="SwarmInvariants"/> after every event (slow; for tests).</summary>
    public bool CheckInvariants { get; init; }
}
