using Stamen.Plans;
using Stamen.Routing;

namespace Stamen.Simulation.Swarm;

/// <summary>
/// Sessions on the placement's composed chains (<see cref="BlockPlacement.Chains"/>) and the
/// latest session start, shared by every client's view of one run. A session counts against a
/// chain's slots when its route is that chain, hop for hop.
/// <para>
/// Slot admission mirrors <see cref="CacheLedger"/>: a chain is free at t when fewer than its slots
/// of the sessions committed to it end after t, reservations that begin later included, so a later
/// reservation can never overfill an instant it overlaps. Ends are kept sorted; those at or before
/// the query time are pruned, so simulated time must not go backwards.
/// </para>
/// </summary>
internal sealed class ChainSessions
{
    private readonly IReadOnlyList<ComposedChain> _chains;
    private readonly Dictionary<Route, int> _index = new(RouteHopsComparer.Instance);
    /// <summary>Per chain: (start, end) of its sessions, ascending by end.</summary>
    private readonly List<(double StartMs, double EndMs)>[] _sessions;

    public ChainSessions(BlockPlacement placement)
    {
        _chains = placement.Chains;
        _sessions = new List<(double, double)>[_chains.Count];
        for (var k = 0; k < _chains.Count; k++)
        {
            _sessions[k] = [];
            if (_chains[k].Slots < 0) throw new ArgumentException($"Composed chain {k} has {_chains[k].Slots} slots.", nameof(placement));
            _index.TryAdd(_chains[k].Route, k);
        }
    }

    public int Count => _chains.Count;

    public double LatestStartMs { get; private set; } = double.NegativeInfinity;

    /// <summary>Index of the composed chain equal to <paramref name="route"/>, or -1.</summary>
    public int IndexOf(Route route) => _index.TryGetValue(route, out var k) ? k : -1;

    public void Record(Route route, double startMs, double endMs)
    {
        LatestStartMs = Math.Max(LatestStartMs, startMs);
        var k = IndexOf(route);
        if (k < 0) return;
        var list = _sessions[k];
        var at = list.Count;
        while (at > 0 && list[at - 1].EndMs > endMs) at--;
        list.Insert(at, (startMs, endMs));
    }

    /// <summary>Smallest t &gt;= now at which fewer than the chain's slots of its sessions end after t.</summary>
    public double EarliestSlotMs(int chain, double nowMs)
    {
        var slots = _chains[chain].Slots;
        if (slots == 0) return double.PositiveInfinity;
        var list = Prune(chain, nowMs);
        // Ends ascending e_0..e_{n-1}: after e_{n-slots} at most slots - 1 sessions remain.
        return list.Count < slots ? nowMs : Math.Max(nowMs, list[list.Count - slots].EndMs);
    }

    /// <summary>Sessions of the chain active at <paramref name="timeMs"/> (for the invariant check).</summary>
    public int ActiveAt(int chain, double timeMs) => _sessions[chain].Count(s => s.StartMs <= timeMs && timeMs < s.EndMs);

    public int Slots(int chain) => _chains[chain].Slots;

    private List<(double StartMs, double EndMs)> Prune(int chain, double nowMs)
    {
        var list = _sessions[chain];
        var ended = 0;
        while (ended < list.Count && list[ended].EndMs <= nowMs) ended++;
        if (ended > 0) list.RemoveRange(0, ended);
        return list;
    }

    /// <summary>Routes are equal when their hops are, in order.</summary>
    private sealed class RouteHopsComparer : IEqualityComparer<Route>
    {
        public static readonly RouteHopsComparer Instance = new();

        public bool Equals(Route? x, Route? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.Hops.SequenceEqual(y.Hops));

        public int GetHashCode(Route obj)
        {
            var hash = new HashCode();
            foreach (var h in obj.Hops) hash.Add(h);
            return hash.ToHashCode();
        }
    }
}
