using Stamen.Runtime.Model;

namespace Stamen.Runtime.Serving;

/// <summary>
/// The core of a block server, without the network: a <see cref="BlockStack"/>, the open sessions
/// (id to KV cache) and a memory budget. A session reserves its whole cache when it opens (KV bytes
/// per token x its token limit; the memory itself is allocated at its first step), so admission is decided once and a running session can never run
/// out of memory mid-generation; a full host refuses with <see cref="SessionRefusal.Full"/>, which a
/// client can act on by waiting or choosing another server.
/// </summary>
/// <remarks>
/// Sessions expire (<see cref="SessionTimeouts"/>): one opened but never stepped, one left idle between steps, and one
/// older than the session limit are closed and their reservation returned, so clients that vanish (or a stranger who
/// opens sessions and walks away) cannot hold a server's memory. Expiry is checked whenever the host is used, and by
/// <see cref="Expire"/>.
/// Thread-safe: admission and release take one lock; steps of different sessions run concurrently
/// (the stack is read-only); steps of one session are serialised by that session's lock, so a
/// client retrying a step cannot interleave with the original.
/// </remarks>
public sealed class BlockSessionHost
{
    private readonly BlockStack _stack;
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private long _bytesInUse;
    private long _expired;

    /// <param name="stack">The blocks served.</param>
    /// <param name="memoryBudgetBytes">Most KV-cache bytes all sessions may reserve together.</param>
    /// <param name="timeouts">When sessions expire; PETALS' defaults when null.</param>
    /// <param name="clock">The clock expiry reads (tests pass a manual one).</param>
    public BlockSessionHost(BlockStack stack, long memoryBudgetBytes, SessionTimeouts? timeouts = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentOutOfRangeException.ThrowIfNegative(memoryBudgetBytes);
        _stack = stack;
        MemoryBudgetBytes = memoryBudgetBytes;
        Timeouts = timeouts ?? SessionTimeouts.Petals;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>When sessions expire.</summary>
    public SessionTimeouts Timeouts { get; }

    /// <summary>Sessions closed by expiry since the host started.</summary>
    public long ExpiredSessions => Interlocked.Read(ref _expired);

    /// <summary>The blocks served.</summary>
    public BlockRange Range => _stack.Range;

    /// <summary>Most KV-cache bytes all sessions may reserve together.</summary>
    public long MemoryBudgetBytes { get; }

    /// <summary>Bytes a session of <paramref name="maxTokens"/> tokens reserves.</summary>
    public long SessionBytes(int maxTokens) => _stack.KvBytesPerToken * maxTokens;

    /// <summary>Opens session <paramref name="sessionId"/> for up to <paramref name="maxTokens"/> tokens, or says why not.</summary>
    /// <param name="blocks">The blocks the session runs: all of the host's when null, else a sub-range of them.</param>
    public OpenResult Open(string sessionId, int maxTokens, BlockRange? blocks = null)
    {
        if (string.IsNullOrEmpty(sessionId)) return OpenResult.No(SessionRefusal.BadRequest, "the session id is empty");
        if (maxTokens < 1 || maxTokens > _stack.Config.MaxPositions)
            return OpenResult.No(SessionRefusal.TooLong, $"a session holds 1..{_stack.Config.MaxPositions} tokens (the model's positions), not {maxTokens}");
        var range = blocks ?? Range;
        if (range.Count < 1 || range.Start < Range.Start || range.End > Range.End)
            return OpenResult.No(SessionRefusal.BadRequest, $"blocks {range} are not within this server's {Range}");
        var bytes = _stack.Config.KvBytesPerTokenPerBlock * range.Count * maxTokens;
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            ExpireLocked(now);
            if (_sessions.ContainsKey(sessionId))
                return OpenResult.No(SessionRefusal.DuplicateId, $"session '{sessionId}' is already open");
            if (_bytesInUse + bytes > MemoryBudgetBytes)
                return OpenResult.No(SessionRefusal.Full,
                    $"the session needs {bytes} bytes of KV cache; {MemoryBudgetBytes - _bytesInUse} of {MemoryBudgetBytes} are free");
            _bytesInUse += bytes;
            _sessions.Add(sessionId, new Session(bytes, maxTokens, range, now));
        }
        return OpenResult.Ok(bytes);
    }

    /// <summary>Runs the session's prompt, <paramref name="hidden"/> [tokens, hidden], from position 0 (replacing anything cached).</summary>
    public StepResult Prefill(string sessionId, float[] hidden) => Step(sessionId, hidden, startPosition: 0, decode: false);

    /// <summary>Runs one token, <paramref name="hidden"/> [1, hidden], at the session's next position.</summary>
    public StepResult Decode(string sessionId, float[] hidden) => Step(sessionId, hidden, startPosition: null, decode: true);

    /// <summary>Closes the session and frees its reservation; false when no such session was open.</summary>
    public bool Close(string sessionId)
    {
        lock (_gate)
        {
            if (sessionId is null || !_sessions.Remove(sessionId, out var session)) return false;
            _bytesInUse -= session.Bytes;
            return true;
        }
    }

    /// <summary>Sessions and bytes in use now (expired sessions closed first).</summary>
    public HostStats Stats
    {
        get
        {
            var now = _clock.GetUtcNow();
            lock (_gate)
            {
                ExpireLocked(now);
                return new HostStats(_sessions.Count, _bytesInUse, MemoryBudgetBytes, _stack.KvBytesPerToken);
            }
        }
    }

    /// <summary>Closes every session past a timeout; returns how many.</summary>
    public int Expire()
    {
        var now = _clock.GetUtcNow();
        lock (_gate) return ExpireLocked(now);
    }

    private int ExpireLocked(DateTimeOffset now)
    {
        List<string>? expired = null;
        foreach (var (id, session) in _sessions)
            if (Timeouts.IsExpired(session.OpenedAt, session.LastStepAt, now)) (expired ??= []).Add(id);
        if (expired is null) return 0;
        foreach (var id in expired)
        {
            _sessions.Remove(id, out var session);
            _bytesInUse -= session!.Bytes;
        }
        Interlocked.Add(ref _expired, expired.Count);
        return expired.Count;
    }

    private StepResult Step(string sessionId, float[] hidden, int? startPosition, bool decode)
    {
        var session = sessionId is null ? null : Find(sessionId);
        if (session is null) return StepResult.No(SessionRefusal.UnknownSession, $"no session '{sessionId}' is open; open one and replay its tokens");
        var h = _stack.Config.HiddenSize;
        if (hidden is null || hidden.Length == 0 || hidden.Length % h != 0)
            return StepResult.No(SessionRefusal.BadRequest, $"hidden states must be tokens x {h} values, at least one token; got {hidden?.Length ?? 0}");
        var tokens = hidden.Length / h;
        if (decode && tokens != 1)
            return StepResult.No(SessionRefusal.BadRequest, $"a decode step carries one token, not {tokens}");
        lock (session)
        {
            session.LastStepAt = _clock.GetUtcNow();
            // Allocated at the first step, under the session's lock, not while holding the host's.
            var cache = session.Cache ??= _stack.CreateCache(session.MaxTokens, session.Blocks);
            var start = startPosition ?? cache.Length;
            if (start + tokens > session.MaxTokens)
                return StepResult.No(SessionRefusal.TooLong, $"{tokens} tokens from position {start} pass the session's limit of {session.MaxTokens}", cache.Length);
            return StepResult.Ok(_stack.Forward(cache, hidden, start, session.Blocks), cache.Length);
        }
    }

    private Session? Find(string sessionId)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            ExpireLocked(now);
            return _sessions.GetValueOrDefault(sessionId);
        }
    }

    private sealed class Session(long bytes, int maxTokens, BlockRange blocks, DateTimeOffset openedAt)
    {
        public long Bytes { get; } = bytes;
        public int MaxTokens { get; } = maxTokens;
        public BlockRange Blocks { get; } = blocks;
        public DateTimeOffset OpenedAt { get; } = openedAt;

        /// <summary>When the last step began; null before the first.</summary>
        public DateTimeOffset? LastStepAt { get; set; }

        public KvCacheSet? Cache { get; set; }
    }
}
