using System.Globalization;

namespace Stamen.Simulation.Engine.Policies;

/// <summary>
/// Every engine policy, the one list that the simulator, tests and the CLI read. Each names its
/// family's batch scheduler: <see cref="ReservingScheduler"/> for the ORCA variants,
/// <see cref="PagedScheduler"/> for vLLM (recompute or swap), Sarathi (chunked prefill) and DistKV
/// (paged memory over a lending pool).
/// </summary>
public static class EnginePolicyCatalog
{
    /// <summary>All policies, in listing order.</summary>
    public static IReadOnlyList<EnginePolicy> All { get; } = [.. Listed().Select(p => p with { SchedulerFactory = SchedulerOf })];

    private static IBatchScheduler SchedulerOf(EnginePolicy p) =>
        p.Memory == KvMemoryMode.PagedOnDemand ? new PagedScheduler(p.Preemption, p.ChunkedPrefill) : new ReservingScheduler(p);

    private static EnginePolicy[] Listed() =>
    [
        new("orca-max-length", "ORCA iteration-level batching; reserves the max context per request", KvMemoryMode.ReserveMaxContext, false),
        new("orca-pow2", "ORCA; reserves the next power of two of prompt + output", KvMemoryMode.ReservePowerOfTwo, false),
        new("orca-oracle", "ORCA; reserves exactly prompt + output (knows the output length)", KvMemoryMode.ReserveExact, false),
        new("vllm", "vLLM PagedAttention: 16-token blocks on demand, preempt newest by recompute", KvMemoryMode.PagedOnDemand, false),
        new("vllm-swap", "vLLM with swap preemption: the victim's KV goes to CPU over PCIe and comes back", KvMemoryMode.PagedOnDemand, false,
            PreemptionMode.Swap),
        new("sarathi", "vLLM memory plus chunked prefill sharing the per-iteration token budget", KvMemoryMode.PagedOnDemand, true),
        new("distkv", "DistKV-LLM: vLLM memory, and instances lend free KV blocks to each other through a global ledger",
            KvMemoryMode.PagedOnDemand, false, PreemptionMode.Recompute, LendsKv: true),
    ];

    /// <summary>Short names that mean a listed policy: plain <c>orca</c> is the paper's max-length reservation.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase) { ["orca"] = "orca-max-length" };

    /// <summary>Policy names, in listing order.</summary>
    public static IReadOnlyList<string> Names => [.. All.Select(p => p.Name)];

    /// <summary>The policy called <paramref name="name"/> (case-insensitive), or an input error listing the names.</summary>
    public static EnginePolicy Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = Aliases.TryGetValue(name.Trim(), out var alias) ? alias : name.Trim();
        return All.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new StamenInputException("engine", "policy", string.Create(CultureInfo.InvariantCulture, $"unknown policy '{name}'"),
                $"use one of {string.Join(", ", Names)} (or orca)");
    }
}
