using Stamen.Plans;
using Stamen.Routing;

namespace Stamen.Simulation.Swarm;

/// <summary>
/// How a routed request obtains cache on its servers. Every policy retries on PETALS' schedule
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

    /// <summary>
    /// JFFC's central queue: first come, first served, starting each request the moment its chain
    /// and servers have room, with no retry rounding.
    /// </summary>
    public static AdmissionPolicy CentralQueue { get; } = new CentralQueueAdmission();

    /// <summary>Retries before a request is dropped with outcome "failed".</summary>
    public int MaxRetries { get; init; } = 50;

    /// <summary>How long a client avoids a server that refused it (PETALS: 15 s).</summary>
    public double BanMs { get; init; } = 15_000;

    /// <summary>Admit the session on every hop of <paramref name="route"/>, or name a server that refuses it.</summary>
    internal abstract AdmissionDecision Decide(Route route, SwarmState state, double cacheBytesPerBlock, double nowMs);

    /// <summary>
    /// When a route that is one of the placement's composed chains has a free slot (now when the
    /// route is no composed chain): every policy holds a composed chain to its slots.
    /// </summary>
    private protected static double ChainSlotFromMs(Route route, SwarmState state, double nowMs)
    {
        var chain = state.ChainIndexOf(route);
        return chain < 0 ? nowMs : state.EarliestChainSlotMs(chain, nowMs);
    }
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
        if (ChainSlotFromMs(route, state, nowMs) > nowMs) return AdmissionDecision.Refused(-1);
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
        var slotMs = ChainSlotFromMs(route, state, nowMs);
        if (double.IsPositiveInfinity(slotMs)) return AdmissionDecision.Refused(-1);
        waitMs = Math.Max(waitMs, slotMs - nowMs);
        var retries = 0;
        var offsetMs = 0.0;
        while (offsetMs < waitMs) offsetMs += RetrySchedule.GapMs(++retries);
        return AdmissionDecision.Admitted(nowMs + offsetMs, retries);
    }
}

/// <summary>
/// JFFC's central queue (Sun, He, Hou): requests are served first come, first served; one that
/// finds no free chain waits, and the head of the queue starts the moment a slot frees. Session
/// lengths are known at the start in the twin (per-token time does not depend on load), so the
/// queue is resolved at arrival: the request starts at the earliest time, not before the latest
/// start already committed, at which its route's chain has a free slot and every hop has room
/// for its cache, exactly then (no retry rounding, unlike <see cref="WaitAdmission"/>). Paired
/// with the <c>jffc</c> router, that route is the fastest chain free at that time. Counting
/// commitments that end after the start, reservations included, keeps every ledger and chain
/// within its budget at every instant. A hop whose pool is smaller than the session refuses it.
/// </summary>
public sealed record CentralQueueAdmission : AdmissionPolicy
{
    internal override AdmissionDecision Decide(Route route, SwarmState state, double cacheBytesPerBlock, double nowMs)
    {
        var startMs = Math.Max(nowMs, state.LatestStartMs);
        foreach (var hop in route.Hops)
        {
            var earliest = state.EarliestStartMs(hop.Server, hop.StartBlock, hop.EndBlock, cacheBytesPerBlock, nowMs);
            if (double.IsPositiveInfinity(earliest)) return AdmissionDecision.Refused(hop.Server);
            startMs = Math.Max(startMs, earliest);
        }
        var slotMs = ChainSlotFromMs(route, state, nowMs);
        if (double.IsPositiveInfinity(slotMs)) return AdmissionDecision.Refused(-1);
        return AdmissionDecision.Admitted(Math.Max(startMs, slotMs), 0);
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
