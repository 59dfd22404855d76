using System.Globalization;
using Stamen.Simulation.Engine.Policies;

namespace Stamen.Simulation.Engine;

/// <summary>How a policy holds KV memory.</summary>
public enum KvMemoryMode
{
    /// <summary>vLLM: fixed-size blocks allocated as tokens arrive; preempt the newest by recompute when none is free.</summary>
    PagedOnDemand,

    /// <summary>ORCA max-length: reserve the engine's max context at admission.</summary>
    ReserveMaxContext,

    /// <summary>ORCA power-of-two: reserve the next power of two of prompt + output at admission.</summary>
    ReservePowerOfTwo,

    /// <summary>ORCA oracle: reserve exactly prompt + output at admission.</summary>
    ReserveExact,
}

/// <summary>What a paged engine does with the request it preempts when KV blocks run out.</summary>
public enum PreemptionMode
{
    /// <summary>Drop its KV; it prefills its prompt and generated tokens again when resumed.</summary>
    Recompute,

    /// <summary>Copy its KV to CPU memory over PCIe and back when resumed (a decoding request while swap space lasts; otherwise recompute).</summary>
    Swap,
}

/// <summary>
/// A scheduling and memory policy, as data: the engine loop is shared; each family forms batches
/// in its own class under <c>Policies/</c> (<see cref="CreateScheduler"/>), and the variants differ in
/// how they hold KV memory, what preemption does, whether prefills are chunked into the
/// per-iteration token budget, and whether instances of a cluster lend each other KV blocks.
/// </summary>
/// <param name="Name">Catalog key.</param>
/// <param name="Summary">One line for listings.</param>
/// <param name="Memory">How KV memory is held.</param>
/// <param name="ChunkedPrefill">Decodes and prefill slices share the token budget (Sarathi); otherwise prompts are prefilled whole.</param>
/// <param name="Preemption">What preempting a request does (paged memory only; reserving policies never preempt).</param>
/// <param name="LendsKv">DistKV-LLM: an instance whose blocks run out borrows free blocks of other instances through a
/// global ledger, and attention over them costs network time (paged memory only).</param>
public sealed record EnginePolicy(string Name, string Summary, KvMemoryMode Memory, bool ChunkedPrefill,
    PreemptionMode Preemption = PreemptionMode.Recompute, bool LendsKv = false)
{
    /// <summary>KV tokens reserved at admission for a reserving policy (ORCA variants); 0 for paged memory.</summary>
    public long ReservedTokens(EngineRequest request, EngineConfig config)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(config);
        var need = (long)request.PromptTokens + request.OutputTokens;
        return Memory switch
        {
            KvMemoryMode.ReserveMaxContext => config.MaxContextTokens,
            KvMemoryMode.ReservePowerOfTwo => Math.Min(NextPowerOfTwo(need), config.MaxContextTokens),
            KvMemoryMode.ReserveExact => need,
            _ => 0,
        };
    }

    /// <summary>The batch scheduler of this policy's family: reserving (ORCA variants) or paged (vLLM, Sarathi, DistKV).</summary>
    internal IBatchScheduler CreateScheduler() =>
        Memory == KvMemoryMode.PagedOnDemand ? new PagedScheduler(Preemption, ChunkedPrefill) : new ReservingScheduler(this);

    private static long NextPowerOfTwo(long n)
    {
        long p = 1;
        while (p < n) p <<= 1;
        return p;
    }
}

/// <summary>Every engine policy, the one list that the simulator, tests and (later) the CLI read.</summary>
public static class EnginePolicyCatalog
{
    /// <summary>All policies, in listing order.</summary>
    public static IReadOnlyList<EnginePolicy> All { get; } =
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
