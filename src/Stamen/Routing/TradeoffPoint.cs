using Stamen.Plans;

namespace Stamen.Routing;

/// <summary>One route of a latency/capacity Pareto front and its two objectives.</summary>
/// <param name="Route">The chain, every hop running to the end of its server's span.</param>
/// <param name="PerTokenLatencyMs">Sum over hops of RTT(c, j) + tau_j k: the decode time per token.</param>
/// <param name="BottleneckFreeSessions">
/// Least, over hops, of the hop's free cache divided by what this session needs there
/// (s_c k for a shared pool, s_c for per-block pools); not rounded down, so it also ranks
/// chains whose servers all have room for several more sessions.
/// </param>
/// <param name="MissingCacheBytes">Sum over hops that cannot hold the session now of the bytes missing; 0 when it fits.</param>
public sealed record TradeoffPoint(Route Route, double PerTokenLatencyMs, double BottleneckFreeSessions, double MissingCacheBytes)
{
    /// <summary>True when every hop has room for the session now.</summary>
    public bool Fits => MissingCacheBytes == 0;
}

/// <summary>Settings of the chain search; the defaults keep one decision near a millisecond for 100 servers.</summary>
/// <param name="PopulationSize">NSGA-II population (mu = lambda).</param>
/// <param name="Generations">Offspring generations after the initial population.</param>
public sealed record TradeoffSettings(int PopulationSize = 24, int Generations = 15)
{
    public static TradeoffSettings Default { get; } = new();
}
