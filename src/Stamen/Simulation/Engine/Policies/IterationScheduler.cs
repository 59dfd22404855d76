namespace Stamen.Simulation.Engine.Policies;

/// <summary>
/// Iteration-level batch formation shared by the policy families (ORCA's, and vLLM V1's order):
/// running requests first, in admission order, each a decode token or its next prefill chunk;
/// then waiting requests from the head while the batch size, the token budget and KV memory allow.
/// With LoRA, a request whose adapter cannot join the batch is skipped and the scan goes on past it.
/// With chunked prefill (Sarathi) decodes and prefill slices share the per-iteration token budget;
/// without it a prompt is prefilled whole and prefill tokens are capped at the budget, except that
/// one whole prompt always gets in. How memory is taken, grown and given back is the family's.
/// </summary>
internal abstract class IterationScheduler(bool chunkedPrefill) : IBatchScheduler
{
    public bool ChunkedPrefill { get; } = chunkedPrefill;

    public void Form(IEngineStep engine)
    {
        var budget = (long)engine.Config.TokenBudgetPerIteration;
        var preemptionsBefore = engine.Preemptions;
        var prefillTokens = 0L;
        var running = engine.Running;
        for (var i = engine.BatchSteadyDecoders(ref budget, ChunkedPrefill); i < running.Count; i++)
        {
            var s = running[i];
            if (!engine.CanJoin(s)) continue;
            long chunk;
            if (s.InPrefill)
            {
                chunk = Math.Min(s.PrefillTarget - s.HeldTokens, budget);
                if (chunk <= 0) continue;
            }
            else
            {
                if (ChunkedPrefill && budget < 1) break;
                chunk = 1;
            }
            if (!Grow(engine, s, chunk)) break;
            engine.AddToBatch(s, chunk, s.InPrefill);
            if (s.InPrefill) prefillTokens += chunk;
            if (s.InPrefill || ChunkedPrefill) budget -= chunk;
        }

        // vLLM V1 admits nothing from the queue in a step that had to preempt: memory is short, and a newcomer would only be preempted next.
        var node = engine.Preemptions == preemptionsBefore ? engine.FirstWaiting : null;
        // Once the batch holds max_loras adapters only their requests can join: with none of them left in the queue the
        // scan would only skip the rest, so it stops (the same batch, without walking a long queue every iteration).
        var joinable = -1;
        while (node is not null && engine.Running.Count < engine.Config.MaxBatchSize)
        {
            if (joinable < 0) joinable = engine.JoinableWaiting();
            if (joinable == 0) break;
            var s = node.Value;
            if (!engine.CanJoin(s))
            {
                node = node.Next;
                continue;
            }
            if (joinable > 0) joinable--;
            if (s.SwappedTokens > 0)
            {
                if (ChunkedPrefill && budget < 1) break;
                if (!SwapBackIn(engine, s)) break;
                node = engine.Admit(node);
                engine.AddToBatch(s, 1, false);
                if (ChunkedPrefill) budget--;
                continue;
            }
            long chunk;
            if (ChunkedPrefill)
            {
                chunk = Math.Min(s.PrefillTarget, budget);
                if (chunk <= 0) break;
            }
            else
            {
                chunk = s.PrefillTarget;
                if (prefillTokens > 0 && prefillTokens + chunk > budget) break;
            }
            if (!Reserve(engine, s)) break;
            node = engine.Admit(node);
            engine.AddToBatch(s, chunk, true);
            prefillTokens += chunk;
            budget -= chunk;
        }
    }

    public abstract bool NeverFits(EngineRequest request, IEngineStep engine);

    /// <summary>Memory for a running request to compute <paramref name="tokens"/> more this step; false stops the running scan.</summary>
    protected abstract bool Grow(IEngineStep engine, EngineRequestState s, long tokens);

    /// <summary>Memory taken when a waiting request is admitted; false stops admission for this step.</summary>
    protected abstract bool Reserve(IEngineStep engine, EngineRequestState s);

    /// <summary>Brings a swapped request back (only swapping families ever have one); false stops admission.</summary>
    protected virtual bool SwapBackIn(IEngineStep engine, EngineRequestState s) =>
        throw new InvalidOperationException($"request {s.Request.Id} was swapped out under a policy that does not swap");
}
