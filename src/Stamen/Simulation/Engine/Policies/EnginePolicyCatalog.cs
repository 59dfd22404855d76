using Stamen.Options;

namespace Stamen.Simulation.Engine.Policies;

/// <summary>
/// Every engine policy, on the same catalog pattern as the swarm's parts: two families with options,
/// and the published policies as presets of them. <c>orca</c> (<see cref="ReservingScheduler"/>)
/// reserves KV at admission; <c>vllm</c> (<see cref="PagedScheduler"/>) allocates blocks on demand
/// and preempts. Chunked prefill (Sarathi) and KV lending between instances (DistKV-LLM) are options
/// of the paged family. The simulator, scenario files, tests and `stamen catalog engine-policies`
/// read this one table.
/// </summary>
public static class EnginePolicyCatalog
{
    private static readonly OptionSpec Chunked = OptionSpec.Flag("chunked_prefill", false,
        "Decodes and prefill slices share the per-iteration token budget (Sarathi); otherwise a prompt is prefilled whole");

    private static readonly CatalogEntry<EnginePolicy> Orca = new("orca-max-length",
        "ORCA iteration-level batching; reserves the max context per request",
        [
            OptionSpec.Choice("reservation", "max-context", ["max-context", "power-of-two", "exact"],
                "KV reserved at admission: the max context (ORCA), the next power of two of prompt + output, or exactly prompt + output (an oracle)"),
            Chunked,
        ],
        v => Policy(v, v.Choice("reservation") switch
        {
            "power-of-two" => KvMemoryMode.ReservePowerOfTwo,
            "exact" => KvMemoryMode.ReserveExact,
            _ => KvMemoryMode.ReserveMaxContext,
        }, PreemptionMode.Recompute, lendsKv: false));

    private static readonly CatalogEntry<EnginePolicy> Vllm = new("vllm",
        "vLLM PagedAttention: 16-token blocks on demand, preempt newest by recompute",
        [
            OptionSpec.Choice("preemption", "recompute", ["recompute", "swap"],
                "What preempting a request does: drop its KV and prefill again later, or copy it to CPU memory over PCIe and back"),
            Chunked,
            OptionSpec.Flag("lends_kv", false, "Instances lend free KV blocks to each other through a global ledger (DistKV-LLM)"),
        ],
        v => Policy(v, KvMemoryMode.PagedOnDemand, v.Choice("preemption") == "swap" ? PreemptionMode.Swap : PreemptionMode.Recompute,
            v.Bool("lends_kv")));

    public static Catalog<EnginePolicy> Policies { get; } = new("engine policies", "engine-policies",
    [
        Orca,
        Orca.Preset("orca-pow2", "ORCA; reserves the next power of two of prompt + output", ("reservation", "power-of-two")),
        Orca.Preset("orca-oracle", "ORCA; reserves exactly prompt + output (knows the output length)", ("reservation", "exact")),
        Vllm,
        Vllm.Preset("vllm-swap", "vLLM with swap preemption: the victim's KV goes to CPU over PCIe and comes back", ("preemption", "swap")),
        Vllm.Preset("sarathi", "vLLM memory plus chunked prefill sharing the per-iteration token budget", ("chunked_prefill", "true")),
        Vllm.Preset("distkv", "DistKV-LLM: vLLM memory, and instances lend free KV blocks to each other through a global ledger", ("lends_kv", "true")),
    ]);

    /// <summary>All policies at their defaults, in listing order (each named as its entry).</summary>
    public static IReadOnlyList<EnginePolicy> All { get; } = [.. Policies.All.Select(e => e.Create() with { Name = e.Name, Summary = e.Description })];

    /// <summary>Short names that mean a listed policy: plain <c>orca</c> is the paper's max-length reservation.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase) { ["orca"] = "orca-max-length" };

    /// <summary>Policy names, in listing order.</summary>
    public static IReadOnlyList<string> Names => [.. All.Select(p => p.Name)];

    /// <summary>The policy called <paramref name="name"/> (case-insensitive; <c>orca</c> too), or an input error listing the names.</summary>
    public static EnginePolicy Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = Aliases.TryGetValue(name.Trim(), out var alias) ? alias : name.Trim();
        return All.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new StamenInputException("engine", "policy", $"unknown policy '{name}'", $"use one of {string.Join(", ", Names)} (or orca)");
    }

    /// <summary>A policy from validated options, named later by the caller.</summary>
    private static EnginePolicy Policy(OptionValues v, KvMemoryMode memory, PreemptionMode preemption, bool lendsKv) =>
        new EnginePolicy("", v.Describe(), memory, v.Bool("chunked_prefill"), preemption, lendsKv) { SchedulerFactory = SchedulerOf };

    private static IBatchScheduler SchedulerOf(EnginePolicy p) =>
        p.Memory == KvMemoryMode.PagedOnDemand ? new PagedScheduler(p.Preemption, p.ChunkedPrefill) : new ReservingScheduler(p);
}
