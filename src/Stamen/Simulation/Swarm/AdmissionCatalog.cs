using Stamen.Options;

namespace Stamen.Simulation.Swarm;

/// <summary>The one table of admission policies (what a client does when a server's cache is full).</summary>
public static class AdmissionCatalog
{
    private static readonly OptionSpec MaxRetries = OptionSpec.WholeNumber("max_retries", 50, 0, 10_000, "Retries before a request is dropped as failed");

    public static Catalog<AdmissionPolicy> Policies { get; } = new("admission policies", "admissions",
    [
        new("fail-fast", "PETALS client: allocation fails at once on a full server, which is banned for 15 s; retry after min(2^(n-1), 60) s and re-route",
            [MaxRetries, OptionSpec.Number("ban_s", 15, 0, 3_600, "How long the client avoids a server that refused it", "s")],
            v => AdmissionPolicy.FailFast with { MaxRetries = v.WholeNumber("max_retries"), BanMs = v.Number("ban_s") * 1000 }),
        new("wait", "Route once, reserve the route's cache from the earliest time every hop has room (CG-BPRR, WS-RR, the published simulator's PETALS client), starting at the first PETALS retry time after it",
            [MaxRetries], v => AdmissionPolicy.Wait with { MaxRetries = v.WholeNumber("max_retries") }),
        new("central-queue", "JFFC's central FIFO queue: a request starts the moment its chain has a free slot and its servers have room, never before an earlier request; no retry rounding",
            [MaxRetries], v => AdmissionPolicy.CentralQueue with { MaxRetries = v.WholeNumber("max_retries") }),
    ]);

    public static IReadOnlyList<CatalogEntry<AdmissionPolicy>> All => Policies.All;

    public static IEnumerable<string> Names => Policies.Names;

    public static bool Contains(string name) => Policies.Contains(name);

    /// <summary>The policy named <paramref name="name"/> at its defaults.</summary>
    /// <exception cref="StamenInputException">No policy has that name; the message lists the valid ones.</exception>
    public static AdmissionPolicy Find(string name) => Policies.Find(name, "(scenario)", "admission").Create();
}
