using Stamen.Performance;
using Stamen.Workload;

namespace Stamen.Routing;

/// <summary>How a router prices one hop of a route.</summary>
public enum HopCostMode
{
    /// <summary>
    /// The hop's full share of the request's modelled time: first-token hop time plus
    /// (l_max - 1) per-token hop times. The default because the performance model is additive over
    /// hops, so a path's cost is exactly the request's modelled time and a WS-RR path cost (waits +
    /// hop costs) is an upper bound on its completion time.
    /// </summary>
    Exact,

    /// <summary>
    /// The published CG-BPRR / WS-RR link cost l_max * (RTT(c,j) + tau_j k) (reference section 1,
    /// items 4 and 6): ignores the prefill, so it ranks routes by decode time alone.
    /// </summary>
    Published,
}

/// <summary>Prices a hop (client, server, blocks) for the shortest-path routers.</summary>
public sealed class HopCost(SwarmPerformanceModel performance, HopCostMode mode = HopCostMode.Exact)
{
    private readonly SwarmPerformanceModel _performance = performance ?? throw new ArgumentNullException(nameof(performance));

    public HopCostMode Mode { get; } = mode;

    /// <summary>Cost in ms of <paramref name="server"/> processing <paramref name="blocks"/> blocks for <paramref name="client"/>.</summary>
    public double Ms(int client, int server, int blocks, RequestShape shape)
    {
        var t = _performance.HopTiming(client, server, blocks, shape);
        return Mode == HopCostMode.Exact ? t.TotalMs : shape.OutputTokens * t.PerTokenMs;
    }
}
