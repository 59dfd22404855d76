namespace Stamen.Simulation.Swarm;

/// <summary>An admission policy by name.</summary>
public sealed record AdmissionCatalogEntry(string Name, string Description, AdmissionPolicy Policy);

/// <summary>The one table of admission policies (what a client does when a server's cache is full).</summary>
public static class AdmissionCatalog
{
    public static IReadOnlyList<AdmissionCatalogEntry> All { get; } =
    [
        new("fail-fast", "PETALS client: allocation fails at once on a full server, which is banned for 15 s; retry after min(2^(n-1), 60) s and re-route",
            AdmissionPolicy.FailFast),
        new("wait", "Reserve the route's cache from the earliest time every hop has room (CG-BPRR, WS-RR), starting at the first PETALS retry time after it",
            AdmissionPolicy.Wait),
        new("central-queue", "JFFC's central FIFO queue: a request starts the moment its chain has a free slot and its servers have room, never before an earlier request; no retry rounding",
            AdmissionPolicy.CentralQueue),
    ];

    public static IEnumerable<string> Names => All.Select(e => e.Name);

    public static bool Contains(string name) => All.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public static AdmissionPolicy Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))?.Policy
        ?? throw new StamenInputException("(scenario)", "admission", $"unknown admission '{name}'", $"use one of: {string.Join(", ", Names)}");
}
