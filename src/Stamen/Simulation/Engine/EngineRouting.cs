using Stamen.Options;

namespace Stamen.Simulation.Engine;

/// <summary>What a router may see of an engine instance when a request arrives.</summary>
public interface IEngineInstanceView
{
    int Index { get; }

    /// <summary>Requests routed to it and not yet finished.</summary>
    int Outstanding { get; }

    /// <summary>Whether the adapter is loaded in one of its GPU slots.</summary>
    bool HasAdapterOnGpu(int adapter);
}

/// <summary>Picks the instance an arriving request goes to. Routers keep state across one run, so each run makes a new one.</summary>
public interface IEngineRouter
{
    int Choose(EngineRequest request, IReadOnlyList<IEngineInstanceView> instances);
}

/// <summary>Requests to instances in turn.</summary>
public sealed class RoundRobinEngineRouter : IEngineRouter
{
    private int _next;

    public int Choose(EngineRequest request, IReadOnlyList<IEngineInstanceView> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var i = _next;
        _next = (_next + 1) % instances.Count;
        return i;
    }
}

/// <summary>The instance with the fewest outstanding requests (lowest index on ties).</summary>
public sealed class LeastOutstandingEngineRouter : IEngineRouter
{
    public int Choose(EngineRequest request, IReadOnlyList<IEngineInstanceView> instances) => LeastOutstanding(instances, null);

    internal static int LeastOutstanding(IReadOnlyList<IEngineInstanceView> instances, Func<IEngineInstanceView, bool>? among)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var best = -1;
        foreach (var view in instances)
        {
            if (among is not null && !among(view)) continue;
            if (best < 0 || view.Outstanding < instances[best].Outstanding) best = view.Index;
        }
        return best;
    }
}

/// <summary>
/// Adapter affinity: an adapter's requests stick to one home instance, so each adapter is loaded on as few
/// GPUs as possible. A new adapter's home is an instance that already has it on its GPU, else the one with
/// the fewest adapters homed there (then the fewest outstanding requests). Base-model requests, and an
/// adapter's requests while its home holds more than twice the mean load, go to the least loaded instance.
/// </summary>
public sealed class AdapterAffinityEngineRouter : IEngineRouter
{
    private readonly Dictionary<int, int> _home = [];
    private int[] _homed = [];

    public int Choose(EngineRequest request, IReadOnlyList<IEngineInstanceView> instances)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(instances);
        var least = LeastOutstandingEngineRouter.LeastOutstanding(instances, null);
        if (request.Adapter < 0) return least;
        if (_homed.Length != instances.Count) _homed = new int[instances.Count];
        if (!_home.TryGetValue(request.Adapter, out var home))
        {
            home = LeastOutstandingEngineRouter.LeastOutstanding(instances, v => v.HasAdapterOnGpu(request.Adapter));
            if (home < 0)
            {
                home = 0;
                foreach (var v in instances)
                    if (_homed[v.Index] < _homed[home] || (_homed[v.Index] == _homed[home] && v.Outstanding < instances[home].Outstanding)) home = v.Index;
            }
            _home[request.Adapter] = home;
            _homed[home]++;
        }
        var mean = instances.Average(v => (double)v.Outstanding);
        return instances[home].Outstanding > 2 * mean + 1 ? least : home;
    }
}

/// <summary>Every engine request router, chosen by name in a scenario (the generic catalog; each build is a fresh router for one run).</summary>
public static class EngineRouterCatalog
{
    public const string RoundRobin = "round-robin";

    public static Catalog<IEngineRouter> Routers { get; } = new("engine routers", "engine-routers",
    [
        new(RoundRobin, "requests to instances in turn", [], _ => new RoundRobinEngineRouter()),
        new("least-outstanding", "the instance with the fewest unfinished requests", [], _ => new LeastOutstandingEngineRouter()),
        new("adapter-affinity", "an adapter's requests stay on one instance unless it is overloaded", [], _ => new AdapterAffinityEngineRouter()),
    ]);

    public static IReadOnlyList<CatalogEntry<IEngineRouter>> All => Routers.All;

    public static IReadOnlyList<string> Names => [.. Routers.Names];

    /// <summary>The router called <paramref name="name"/> (case-insensitive), or an input error listing the names.</summary>
    public static CatalogEntry<IEngineRouter> Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Routers.Find(name.Trim(), "engine", "router");
    }
}
