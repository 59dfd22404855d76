using Stamen.Plans;
using Stamen.Routing;

namespace Stamen.Simulation.Swarm;

/// <summary>
/// What happened to one request. Times are ms; durations are measured from arrival. For a failed
/// request the session fields are NaN and <see cref="EndMs"/> is when it was dropped.
/// </summary>
/// <param name="Id">Request id.</param>
/// <param name="ArrivalMs">Arrival time.</param>
/// <param name="Client">Issuing client.</param>
/// <param name="Hops">Chain that served it (empty if failed).</param>
/// <param name="Retries">Retries: failed attempts (FailFast) plus retry slots waited through (Wait).</param>
/// <param name="WaitMs">Start - arrival.</param>
/// <param name="StartMs">Session start: cache held from here.</param>
/// <param name="FirstTokenMs">Wait + fixed delays + the route's first-token time.</param>
/// <param name="TotalMs">Arrival to the last token.</param>
/// <param name="EndMs">Session end (cache released), or drop time if failed.</param>
/// <param name="OutputTokens">l_max.</param>
/// <param name="Succeeded">False when dropped after the retry cap.</param>
public sealed record RequestOutcome(
    int Id,
    double ArrivalMs,
    int Client,
    IReadOnlyList<RouteHop> Hops,
    int Retries,
    double WaitMs,
    double StartMs,
    double FirstTokenMs,
    double TotalMs,
    double EndMs,
    int OutputTokens,
    bool Succeeded)
{
    /// <summary>The metric of record: total time over tokens generated.</summary>
    public double AverageMsPerToken => TotalMs / OutputTokens;

    public string Outcome => Succeeded ? "succeeded" : "failed";

    /// <summary>Server indices on the path, in order.</summary>
    public IReadOnlyList<int> Servers()
    {
        var servers = new int[Hops.Count];
        for (var i = 0; i < servers.Length; i++) servers[i] = Hops[i].Server;
        return servers;
    }
}

/// <summary>
/// Memory of one server over the run: weights s_m * m_j plus cache in use. The mean is
/// time-weighted over [first arrival, last event].
/// </summary>
public sealed record ServerMemory(int Server, double WeightBytes, double PeakMemoryBytes, double MeanMemoryBytes, double MemoryLimitBytes);

/// <summary>Cache in use on a server just after a session started or ended there, and requests then waiting (arrived, not started, not dropped).</summary>
public readonly record struct TimelinePoint(double TimeMs, int Server, double CacheBytesUsed, int WaitingRequests);

/// <summary>Everything one twin run produced.</summary>
/// <param name="Requests">One outcome per input request, in input order.</param>
/// <param name="Servers">Memory figures per server, in server order.</param>
/// <param name="Timeline">Cache timeline, empty unless requested.</param>
/// <param name="InvariantViolations">Broken invariants, empty unless checking was requested (and then, one hopes, too).</param>
/// <param name="EventsProcessed">Events the kernel handled.</param>
public sealed record SwarmRunResult(
    IReadOnlyList<RequestOutcome> Requests,
    IReadOnlyList<ServerMemory> Servers,
    IReadOnlyList<TimelinePoint> Timeline,
    IReadOnlyList<string> InvariantViolations,
    long EventsProcessed);
