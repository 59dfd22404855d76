using Stamen.Routing;

namespace Stamen.Simulation.Swarm;

/// <summary>
/// How a routed request obtains cache on its servers. Both policies retry on PETALS' schedule
/// (<see cref="RetrySchedule"/>) when the router finds no route or admission is refused, and drop
/// the request as failed after <see cref="MaxRetries"/> retries.
/// </summary>
public abstract record AdmissionPolicy
{
    private protected AdmissionPolicy() { }

    /// <summary>PETALS' client: allocate now or fail, ban, back off and re-route.</summary>
    public static AdmissionPolicy FailFast { get; } = new FailFastAdmission();

    /// <summary>CG-BP + WS-RR: wait for the route's cache at the first retry time after it frees.</summary>
    public static AdmissionPolicy Wait { get; } = new WaitAdmission();

    /// <summary>Retries before a request is dropped with outcome "failed".</summary>
    public int MaxRetries { get; init; } = 50;

    /// <summary>How long a client avoids a server that refused it (PETALS: 15 s).</summary>
    public double BanMs { get; init; } = 15_000;

    /// <summary>Admit the session on every hop of <paramref name="route"/>, or name a server that refuses it.</summary>
    internal abstract AdmissionDecision Decide(Route route, SwarmState state, double cacheBytesPerBlock, double nowMs);
}

/// <summary>
/// PETALS: allocation asks every hop at the attempt time; the first hop that cannot host the
/// session now (counting reservations) fails the attempt at once and is banned by the client.
/// </summary>
public sealed record FailFastAdmission : AdmissionPolicy
{
    internal override AdmissionDecision Decide(Route route, SwarmState state, double cacheBytesPerBlock, double nowMs)
    {
        foreach (var hop in route.Hops)
            if (!state.CanHostNow(hop.Server, hop.StartBlock, hop.EndBlock, cacheBytesPerBlock, nowMs))
                return AdmissionDecision.Refused(hop.Server);
        return AdmissionDecision.Admitted(nowMs, 0);
    }
}

/// <summary>
/// WS-RR: the request waits the largest wait among its hops, rounded up to the next PETALS retry
/// time ("a request that must wait for cache space starts at the first retry time at or after
/// the wait has passed"). Capacity cannot be exceeded: every hop fits from its earliest start on,
/// hence from the later, rounded start. A hop whose pool is smaller than the session refuses it.
/// </summary>
public sealed record WaitAdmission : AdmissionPolicy
{
    internal override AdmissionDecision Decide(Route route, SwarmState state, double cacheBytesPerBlock, double nowMs)
    {
        var waitMs = 0.0;
        foreach (var hop in route.Hops)
        {
            var earliest = state.EarliestStartMs(hop.Server, hop.StartBlock, hop.EndBlock, cacheBytesPerBlock, nowMs);
            if (double.IsPositiveInfinity(earliest)) return AdmissionDecision.Refused(hop.Server);
            waitMs = Math.Max(waitMs, earliest - nowMs);
        }
        var retries = 0;
        var offsetMs = 0.0;
        while (offsetMs < waitMs) offsetMs += RetrySchedule.GapMs(++retries);
        return AdmissionDecision.Admitted(nowMs + offsetMs, retries);
    }
}

/// <summary>Outcome of one admission attempt.</summary>
/// <param name="IsAdmitted">True if the cache is granted from <paramref name="StartMs"/>.</param>
/// <param name="StartMs">Session start (cache held from here).</param>
/// <param name="RetriesWaited">Retry slots the request sat through before starting (Wait policy).</param>
/// <param name="RefusingServer">Server that refused, or -1.</param>
internal readonly record struct AdmissionDecision(bool IsAdmitted, double StartMs, int RetriesWaited, int RefusingServer)
{
    public static AdmissionDecision Admitted(double startMs, int retriesWaited) => new(true, startMs, retriesWaited, -1);
    public static AdmissionDecision Refused(int server) => new(false, double.NaN, 0, server);
}
