namespace Stamen.Simulation.Swarm;

/// <summary>
/// Discrete-event digital twin of a swarm serving a workload (reference section 1): each request
/// is routed, admitted by the <see cref="AdmissionPolicy"/>, holds cache on its servers from its
/// start to its end, and is timed by the validated performance model.
/// <para>
/// Session timeline: start, then <see cref="SwarmTwinInput.SessionStartMs"/> +
/// <see cref="SwarmTwinInput.AllocationMs"/> of fixed delays, then prefill (first token), then
/// l_max - 1 decode tokens, then end. Cache is held from start to end, fixed delays included:
/// the session is allocated when it starts, and this is the conservative choice.
/// </para>
/// Per-token time does not depend on concurrency, so a session's end is known at its start and
/// no per-token events exist: three events per request (attempt, start, end) plus retries.
/// </summary>
public static class SwarmTwin
{
    public static SwarmRunResult Run(SwarmTwinInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Router);
        ArgumentNullException.ThrowIfNull(input.Admission);
        ArgumentNullException.ThrowIfNull(input.Requests);
        if (input.SessionStartMs < 0 || input.AllocationMs < 0)
            throw new ArgumentException("Fixed delays must be non-negative.", nameof(input));
        return new SwarmTwinRun(input).Execute();
    }
}
