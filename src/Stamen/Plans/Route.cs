namespace Stamen.Plans;

/// <summary>One hop of a route: server <see cref="Server"/> processes blocks [StartBlock, EndBlock).</summary>
public readonly record struct RouteHop(int Server, int StartBlock, int EndBlock)
{
    public int Blocks => EndBlock - StartBlock;
}

/// <summary>A chain of servers that together process every block once, in order.</summary>
public sealed record Route(IReadOnlyList<RouteHop> Hops)
{
    public override string ToString() => string.Join(" -> ", Hops.Select(h => $"s{h.Server}[{h.StartBlock},{h.EndBlock})"));
}
