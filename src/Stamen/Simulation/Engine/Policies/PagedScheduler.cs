namespace Stamen.Simulation.Engine.Policies;

/// <summary>
/// vLLM's PagedAttention memory (reference section 3): KV in fixed blocks allocated as tokens are
/// computed. A running request gets the blocks for all it computes this step, preempting the
/// request admitted last until they fit (vLLM V1); when that is the request itself, nothing after
/// it can be scheduled either. Admission takes the blocks of the whole prompt (vLLM V0's block
/// manager; a chunked prompt admitted on its first chunk alone would preempt others, or itself,
/// for the next chunk and start over) and leaves the watermark of blocks free for running requests
/// to grow into (with nothing running there is nobody to protect, and a request as large as the
/// cache must still get in). A preempted request recomputes, or with swap preemption a decoding
/// one goes to CPU memory while swap space lasts. Memory units are blocks; DistKV-LLM is this
/// family over a lending pool.
/// </summary>
internal sealed class PagedScheduler(PreemptionMode preemption, bool chunkedPrefill) : IterationScheduler(chunkedPrefill)
{
    public PreemptionMode Preemption { get; } = preemption;

    public override bool NeverFits(EngineRequest request, IEngineStep engine)
    {
        // The last output token's KV is never written: at most prompt + output - 1 tokens are cached.
        var total = (long)request.PromptTokens + request.OutputTokens;
        return CeilDiv(total - 1, engine.Config.BlockSizeTokens) > engine.MostUnitsEver;
    }

    protected override bool Grow(IEngineStep engine, EngineRequestState s, long tokens)
    {
        // Most steps stay inside the blocks held (a decode fills one slot of a block): a multiply, not a division, says so.
        var block = engine.Config.BlockSizeTokens;
        if (s.HeldTokens + tokens <= s.Units * block) return true;
        var need = CeilDiv(s.HeldTokens + tokens, block) - s.Units;
        while (engine.AvailableUnits < need)
        {
            var victim = engine.Running[^1];
            engine.Preempt(victim, Preemption == PreemptionMode.Swap && !victim.InPrefill && engine.CanSwapOut(victim.HeldTokens));
            if (ReferenceEquals(victim, s)) return false;
        }
        engine.Allocate(s, need);
        return true;
    }

    protected override bool Reserve(IEngineStep engine, EngineRequestState s)
    {
        var need = CeilDiv(s.PrefillTarget, engine.Config.BlockSizeTokens);
        var watermark = engine.Running.Count > 0 ? (long)(engine.Config.KvCapacityBlocks * engine.Config.WatermarkFraction) : 0;
        if (engine.AvailableUnits - watermark < need) return false;
        engine.Allocate(s, need);
        return true;
    }

    protected override bool SwapBackIn(IEngineStep engine, EngineRequestState s)
    {
        var need = CeilDiv(s.SwappedTokens + 1, engine.Config.BlockSizeTokens);
        if (engine.AvailableUnits < need) return false;
        engine.Allocate(s, need);
        engine.SwapIn(s);
        return true;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
