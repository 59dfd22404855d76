namespace Stamen.Adapters.Placement;

/// <summary>Every adapter placement method, by name.</summary>
public static class AdapterPlacerCatalog
{
    public static IReadOnlyList<IAdapterPlacer> All { get; } =
        [new GreedyAdapterPlacer(), new GreedyBisectPlacer(), new RandomAdapterPlacer(), new MaxBackbonePlacer(), new RankAwarePlacer(), new ProactivePlacer(), new BalancedPlacer()];

    public static IReadOnlyList<string> Names => [.. All.Select(p => p.Name)];

    public static IAdapterPlacer Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new StamenInputException("adapters", "method", $"unknown placement method '{name}'", $"use one of {string.Join(", ", Names)}");
    }
}
