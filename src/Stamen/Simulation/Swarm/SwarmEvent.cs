namespace Stamen.Simulation.Swarm;

/// <summary>
/// Kinds of twin events; the value is the same-time priority (lower runs first).
/// No per-token events exist: per-token time does not depend on concurrency (reference
/// section 1), so a session's end is known when it starts, which is what makes the twin fast.
/// </summary>
internal enum SwarmEventKind
{
    /// <summary>First: cache freed at t is visible to anything else happening at t (a session ending as another arrives).</summary>
    SessionEnd = 0,

    /// <summary>Before attempts: its cache was reserved at admission, so this only moves meters and counters; a start at t is counted before same-time arrivals read them.</summary>
    SessionStart = 1,

    /// <summary>Last: an arrival or retry decides on the state after every end and start at t.</summary>
    Attempt = 2,
}

/// <summary>An event of the swarm twin: a request and, for attempts, the retry number (0 = arrival).</summary>
internal readonly record struct SwarmEvent(SwarmEventKind Kind, int Request, int Retry)
{
    public int Priority => (int)Kind;

    public ScheduledEvent<SwarmEvent> At(double timeMs) => new(timeMs, Priority, this);
}
