
namespace Stamen.Plans;

/// <summary>
/// A server chain composed at planning time (GBP-CR + GCA, Sun, He, Hou, arXiv 2604.14993): a route
/// over blocks [0, L) and the number of sessions it may serve at once, for which every server on it
/// has cache reserved.
/// </summary>
/// <param name="Route">The chain: contiguous hops from block 0 to L.</param>
/// <param name="Slots">Concurrent sessions the chain may hold (c_k in the paper).</param>
public sealed record ComposedChain(Route Route, int Slots)
{
    /// <summary>Slots of a planned route that only memory bounds (the MILP's routes: R sizes the plan, not a cap).</summary>
    public const int UnlimitedSlots = int.MaxValue;
}
