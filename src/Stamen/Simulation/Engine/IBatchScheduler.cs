namespace Stamen.Simulation.Engine;

/// <summary>
/// Forms one iteration's batch: which running requests compute this step and how much, which
/// waiting ones are admitted, and the KV memory they take or give up (admission and preemption).
/// The engine keeps the step loop, the state updates after the step, the recorder and the
/// invariants; a policy family is one implementation.
/// </summary>
internal interface IBatchScheduler
{
    /// <summary>Fills the engine's batch for the step about to start.</summary>
    void Form(IEngineStep engine);

    /// <summary>True when <paramref name="request"/> could never be served by this engine, however empty.</summary>
    bool NeverFits(EngineRequest request, IEngineStep engine);
}

/// <summary>What a batch scheduler may read and do while it forms a batch on one engine instance.</summary>
internal interface IEngineStep
{
    EngineConfig Config { get; }

    /// <summary>Running requests in admission order (the engine's list; changed only through the calls below).</summary>
    IReadOnlyList<EngineRequestState> Running { get; }

    /// <summary>The waiting queue's head (FCFS; preempted requests go back to the front).</summary>
    LinkedListNode<EngineRequestState>? FirstWaiting { get; }

    /// <summary>Preemptions so far on this instance (a step that preempted admits nothing, as vLLM V1).</summary>
    int Preemptions { get; }

    /// <summary>KV units (blocks or tokens) this instance could take now, borrowable ones included.</summary>
    long AvailableUnits { get; }

    /// <summary>The most units one request here could ever hold (its whole cache plus every lender's cap).</summary>
    long MostUnitsEver { get; }

    /// <summary>Whether <paramref name="tokens"/> more KV tokens fit in swap space now.</summary>
    bool CanSwapOut(long tokens);

    /// <summary>Whether the request's adapter can join this batch (always true without LoRA).</summary>
    bool CanJoin(EngineRequestState s);

    /// <summary>
    /// How many waiting requests could join this batch now, when its adapters are limited (max_loras distinct adapters
    /// already in it: only requests of those adapters, or of none, can join); -1 when every request can join.
    /// </summary>
    int JoinableWaiting();

    /// <summary>
    /// Puts the running list's steady decoders (its first entries, <see cref="SteadyDecoders"/>) in the batch, one decode
    /// each, with the blocks they open, when they all fit as they did last step; returns how many, the running entries the
    /// scheduler then skips. When they do not all fit (token budget, adapter slots, free KV) they become plain running
    /// requests again and it returns 0.
    /// </summary>
    /// <param name="budget">The step's token budget left; decodes spend it when <paramref name="chunkedPrefill"/>.</param>
    int BatchSteadyDecoders(ref long budget, bool chunkedPrefill);

    void Allocate(EngineRequestState s, long units);

    /// <summary>Preempts a running request: its KV goes to swap space when <paramref name="swap"/>, else it will recompute; it goes to the queue's front.</summary>
    void Preempt(EngineRequestState s, bool swap);

    /// <summary>Brings a swapped request's KV back (the caller allocated its blocks).</summary>
    void SwapIn(EngineRequestState s);

    /// <summary>Moves a waiting request to the running list's tail; returns the next waiting node.</summary>
    LinkedListNode<EngineRequestState>? Admit(LinkedListNode<EngineRequestState> node);

    /// <summary>Adds a request to this step's batch: <paramref name="tokens"/> of prefill, or one decode.</summary>
    void AddToBatch(EngineRequestState s, long tokens, bool prefill);
}
