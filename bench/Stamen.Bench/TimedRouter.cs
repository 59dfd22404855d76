using System.Diagnostics;
using Stamen.Plans;
using Stamen.Routing;

namespace Stamen.Bench;

/// <summary>Wraps a router and adds up the wall time of its calls, to say how much of a twin run is routing.</summary>
public sealed class TimedRouter(IRouter inner) : IRouter
{
    private long _ticks;

    public int Calls { get; private set; }

    public double ElapsedMs => _ticks * 1000.0 / Stopwatch.Frequency;

    public void Reset()
    {
        _ticks = 0;
        Calls = 0;
    }

    public Route? Choose(RoutingQuery query)
    {
        var start = Stopwatch.GetTimestamp();
        var route = inner.Choose(query);
        _ticks += Stopwatch.GetTimestamp() - start;
        Calls++;
        return route;
    }
}
