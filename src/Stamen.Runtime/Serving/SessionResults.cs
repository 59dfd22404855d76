namespace Stamen.Runtime.Serving;

/// <summary>Why a host turned a request down: conditions a client acts on (wait, re-route, replay), not bugs.</summary>
public enum SessionRefusal
{
    /// <summary>Admitting the session would exceed the memory budget; try later or another server.</summary>
    Full,

    /// <summary>A session with this id is already open.</summary>
    DuplicateId,

    /// <summary>No open session has this id (closed, never opened, or lost with a restart): open one and replay.</summary>
    UnknownSession,

    /// <summary>The step would pass the session's token limit (or the model's positions).</summary>
    TooLong,

    /// <summary>The request itself is malformed (a size that does not fit the model).</summary>
    BadRequest,
}

/// <summary>The answer to <see cref="BlockSessionHost.Open"/>.</summary>
/// <param name="Admitted">True when the session is open.</param>
/// <param name="Refusal">Why not, when not admitted.</param>
/// <param name="Message">The refusal in words (what was asked, what is free).</param>
/// <param name="ReservedBytes">KV bytes the session holds (0 when refused).</param>
public sealed record OpenResult(bool Admitted, SessionRefusal? Refusal, string Message, long ReservedBytes)
{
    internal static OpenResult Ok(long bytes) => new(true, null, "admitted", bytes);

    internal static OpenResult No(SessionRefusal refusal, string message) => new(false, refusal, message, 0);
}

/// <summary>The answer to a prefill or decode step.</summary>
/// <param name="Hidden">Hidden states after the host's blocks [tokens, hidden], or null when refused.</param>
/// <param name="Refusal">Why not, when refused.</param>
/// <param name="Message">The refusal in words.</param>
/// <param name="Position">Tokens the session holds after the step.</param>
public sealed record StepResult(float[]? Hidden, SessionRefusal? Refusal, string Message, int Position)
{
    /// <summary>True when the step ran.</summary>
    public bool Succeeded => Hidden is not null;

    internal static StepResult Ok(float[] hidden, int position) => new(hidden, null, "ok", position);

    internal static StepResult No(SessionRefusal refusal, string message, int position = 0) => new(null, refusal, message, position);
}

/// <summary>A host's load at one instant.</summary>
/// <param name="Sessions">Open sessions.</param>
/// <param name="BytesInUse">KV bytes reserved by open sessions.</param>
/// <param name="BudgetBytes">The memory budget.</param>
/// <param name="KvBytesPerToken">KV bytes one token of one session takes across the host's blocks.</param>
public sealed record HostStats(int Sessions, long BytesInUse, long BudgetBytes, long KvBytesPerToken)
{
    /// <summary>Bytes still free for new sessions.</summary>
    public long FreeBytes => BudgetBytes - BytesInUse;
}

/// <summary>
/// When a block server closes a session on its own. PETALS' server defaults are the reference: a whole inference
/// session may last 30 minutes (its <c>session_timeout</c>), the next step's inputs may take 5 minutes (<c>step_timeout</c>),
/// and 60 seconds are allowed for memory allocation (<c>alloc_timeout</c>). Our sessions are HTTP requests, not a stream, so
/// the allocation timeout is our reading: the time from opening a session (its memory reserved) to its first step.
/// </summary>
/// <param name="SessionSec">Longest life of a session from its opening.</param>
/// <param name="StepSec">Longest wait for the next step once a session has run one.</param>
/// <param name="AllocationSec">Longest wait for the first step after opening.</param>
public sealed record SessionTimeouts(double SessionSec, double StepSec, double AllocationSec)
{
    /// <summary>PETALS' server defaults: 30 min, 5 min, 60 s.</summary>
    public static SessionTimeouts Petals { get; } = new(30 * 60, 5 * 60, 60);

    /// <summary>Most seconds any timeout may be set to (a week): longer is a session that never expires.</summary>
    public const double MaxSec = 7 * 24 * 3600;

    /// <summary>Whether a session opened at <paramref name="openedAt"/> whose last step began at <paramref name="lastStepAt"/> has expired at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset openedAt, DateTimeOffset? lastStepAt, DateTimeOffset now)
    {
        if ((now - openedAt).TotalSeconds > SessionSec) return true;
        return lastStepAt is { } last ? (now - last).TotalSeconds > StepSec : (now - openedAt).TotalSeconds > AllocationSec;
    }
}
