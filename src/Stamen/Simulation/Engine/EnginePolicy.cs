
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

    /// <summary>
    /// Builds this policy's batch scheduler (its family's class under <c>Policies/</c>); set by the catalog,
    /// so the engine loop depends on the scheduler interface only.
    /// </summary>
    internal Func<EnginePolicy, IBatchScheduler>? SchedulerFactory { get; init; }

    internal IBatchScheduler CreateScheduler() =>
        (SchedulerFactory ?? throw new InvalidOperationException($"policy {Name} has no scheduler; take policies from EnginePolicyCatalog"))(this);

    private static long NextPowerOfTwo(long n)
    {
        long p = 1;
        while (p < n) p <<= 1;
        return p;
    }
}
