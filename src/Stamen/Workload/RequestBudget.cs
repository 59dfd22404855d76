namespace Stamen.Workload;

/// <summary>
/// How many requests one simulated run may replay, checked before the run starts: a fixed cap, and the memory the twins need
/// for them against what this machine has. One budget for scenario files, traces and command-line scaling alike.
/// </summary>
public static class RequestBudget
{
    /// <summary>Most requests one simulated run may replay: a few GiB of outcomes and events at most.</summary>
    public const int MaxRequests = 2_000_000;

    /// <summary>Bytes of memory the twins need per request replayed, with room (outcome, events, queues): the basis of the memory check.</summary>
    private const double BytesPerRequest = 2048;

    /// <summary>Why <paramref name="expected"/> requests (<paramref name="what"/>, e.g. "2 requests/s for 600 s") are too many, or null.</summary>
    public static string? Problem(double expected, string what)
    {
        if (expected > MaxRequests) return $"{what} give about {expected:0} requests; a run replays at most {MaxRequests}";
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return expected * BytesPerRequest > available
            ? $"{what} give about {expected:0} requests, which need about {expected * BytesPerRequest / (1 << 30):0.0} GiB; this machine has {available / (double)(1 << 30):0.0} GiB"
            : null;
    }
}
