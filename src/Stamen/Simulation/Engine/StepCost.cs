namespace Stamen.Simulation.Engine;

/// <summary>
/// What one step of an engine costs, in order: the step-time model's time for the batch's shape, times
/// the adapter overhead, plus adapter loads and the scheduler's CPU time (multi-LoRA), plus swap copies,
/// plus remote attention over borrowed KV (DistKV-LLM). One place, so every cost an engine pays per
/// step reads top to bottom.
/// </summary>
internal sealed class StepCost(EngineDeployment deployment, AdapterSlots? slots, SwapSpace swap, bool lendsKv, bool check)
{
    private readonly DistAttention _distAttention = new(deployment.Config, deployment.DistKv);

    /// <summary>Time spent on attention over borrowed KV, summed over steps.</summary>
    public double RemoteAttentionMs { get; private set; }

    /// <param name="batch">The step's batch besides its steady decoders: each request, the tokens it computes, and whether they are prefill.</param>
    /// <param name="steadyDecodes">Steady decoders in the step (one decode each).</param>
    /// <param name="steadyHeldTokens">KV tokens those decoders hold.</param>
    /// <param name="running">Requests in the running list after scheduling.</param>
    /// <param name="waiting">Requests waiting after scheduling.</param>
    public double Ms(List<(EngineRequestState State, int Tokens, bool Prefill)> batch, int steadyDecodes, long steadyHeldTokens, int running, int waiting)
    {
        var ms = deployment.StepTime.StepMs(Shape(batch, steadyDecodes, steadyHeldTokens, running));
        if (slots is not null)
        {
            ms = ms * slots.StepMultiplier() + slots.LoadBatchAdapters();
            if (check) slots.Check();
            var lora = deployment.Lora!;
            if (lora.SchedulerOverhead is { } overhead) ms += overhead.Ms(running, waiting, lora.MaxLoras, lora.Adapters.Count);
        }
        ms += swap.StepMs;
        if (lendsKv)
        {
            var remoteQueries = 0L;
            foreach (var (s, tokens, _) in batch)
                if (s.RemoteUnits > 0) remoteQueries += tokens;
            var remote = _distAttention.StepMs(remoteQueries);
            RemoteAttentionMs += remote;
            ms += remote;
        }
        if (!(ms > 0) || !double.IsFinite(ms)) throw new InvalidOperationException($"step time {ms} ms is not positive");
        return ms;
    }

    /// <summary>The batch's shape for the step-time model: prefill tokens, decodes and the context they attend to.</summary>
    private static IterationShape Shape(List<(EngineRequestState State, int Tokens, bool Prefill)> batch, int steadyDecodes, long steadyHeldTokens, int running)
    {
        long prefillTokens = 0, contextTokens = steadyHeldTokens + steadyDecodes;
        var decodes = steadyDecodes;
        foreach (var (s, tokens, prefill) in batch)
        {
            if (prefill) prefillTokens += tokens;
            else
            {
                decodes++;
                contextTokens += s.HeldTokens + 1;
            }
        }
        return new IterationShape((int)prefillTokens, decodes, contextTokens, batch.Count + steadyDecodes, running);
    }
}
