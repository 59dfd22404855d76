namespace Stamen.Simulation.Engine;

/// <summary>One request's mutable state inside a run.</summary>
internal sealed class EngineRequestState(EngineRequest request)
{
    public EngineRequest Request { get; } = request;

    /// <summary>Instance the router sent it to; -1 before routing.</summary>
    public int Instance { get; set; } = -1;

    /// <summary>KV tokens cached on GPUs now.</summary>
    public long HeldTokens { get; set; }

    /// <summary>Memory units held, local and borrowed: blocks (paged) or reserved tokens (ORCA).</summary>
    public long Units { get; set; }

    /// <summary>Units borrowed from other instances (DistKV).</summary>
    public long RemoteUnits { get; private set; }

    /// <summary>Borrowed units by lender; null when none.</summary>
    public List<(int Lender, long Units)>? Remote { get; private set; }

    /// <summary>KV tokens swapped out to CPU memory; restored instead of recomputed when it resumes.</summary>
    public long SwappedTokens { get; set; }

    public int Generated { get; set; }

    /// <summary>Computing its prompt (plus already generated tokens after a preemption) rather than decoding.</summary>
    public bool InPrefill { get; set; } = true;

    public int Preemptions { get; set; }
    public double FirstTokenMs { get; set; } = double.NaN;
    public double LastTokenMs { get; set; } = double.NaN;
    public double FinishMs { get; set; } = double.NaN;
    public bool Rejected { get; set; }

    /// <summary>Steps its engine had applied when it last joined or was settled as a steady decoder; -1 when it is not one.</summary>
    public long SteadySince { get; set; } = -1;

    /// <summary>Steps inside the arrival window its engine had applied at that time.</summary>
    public long SteadyWindowBase { get; set; }

    /// <summary>Tokens whose KV the current prefill must compute: the prompt and what was already generated.</summary>
    public long PrefillTarget => (long)Request.PromptTokens + Generated;

    public bool Finished => Generated == Request.OutputTokens;

    public void AddRemote(int lender, long units)
    {
        Remote ??= [];
        Remote.Add((lender, units));
        RemoteUnits += units;
    }

    public void ClearUnits()
    {
        Units = 0;
        RemoteUnits = 0;
        Remote = null;
    }
}
