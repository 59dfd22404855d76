using Stamen.Simulation.Metrics;

namespace Stamen.Simulation.Engine;

/// <summary>
/// What the instances of one run report as they go: token gaps, tokens served inside the arrival window
/// (for starvation), and KV tokens held across the cluster, sampled over time.
/// </summary>
internal sealed class EngineRecorder
{
    private const int MaxSamples = 1000;
    private readonly long[] _servedByAdapter;
    private double _sampleEveryMs;
    private double _nextSampleMs;

    public EngineRecorder(double windowStartMs, double windowEndMs, int adapters, long capacityTokens)
    {
        WindowStartMs = windowStartMs;
        WindowEndMs = windowEndMs;
        CapacityTokens = capacityTokens;
        _servedByAdapter = new long[adapters + 1];
        _sampleEveryMs = Math.Max(1000.0, (windowEndMs - windowStartMs) / 200.0);
        _nextSampleMs = windowStartMs;
    }

    public double WindowStartMs { get; }

    /// <summary>Last arrival: served tokens count up to here.</summary>
    public double WindowEndMs { get; }

    public long CapacityTokens { get; }

    /// <summary>Gaps between consecutive output tokens of a request.</summary>
    public LogHistogram ItlMs { get; } = new();

    /// <summary>KV tokens held by every instance's requests now.</summary>
    public long HeldTokens { get; set; }

    public List<KvSample> KvTimeline { get; } = [];

    /// <summary>Tokens (prompt at the first output token, then each output token) emitted inside the arrival window, by adapter + 1 (0 = base model).</summary>
    public IReadOnlyList<long> ServedByAdapter => _servedByAdapter;

    public void Emitted(EngineRequestState s, double nowMs, bool first)
    {
        if (nowMs > WindowEndMs) return;
        _servedByAdapter[s.Request.Adapter + 1] += first ? s.Request.PromptTokens + 1L : 1L;
    }

    /// <summary>Counts <paramref name="tokens"/> output tokens of a steady decoder emitted inside the window (never a first token).</summary>
    public void EmittedInWindow(int adapter, long tokens) => _servedByAdapter[adapter + 1] += tokens;

    /// <summary>Records samples of KV use up to <paramref name="nowMs"/>; the state is the one that held since the last event.</summary>
    public void SampleUpTo(double nowMs)
    {
        while (_nextSampleMs <= nowMs)
        {
            KvTimeline.Add(new KvSample(_nextSampleMs, CapacityTokens > 0 ? (double)HeldTokens / CapacityTokens : 0));
            _nextSampleMs += _sampleEveryMs;
            if (KvTimeline.Count < MaxSamples) continue;
            // Keep every other sample and halve the rate, so a long overloaded tail stays bounded.
            var kept = KvTimeline.Where((_, k) => k % 2 == 0).ToList();
            KvTimeline.Clear();
            KvTimeline.AddRange(kept);
            _sampleEveryMs *= 2;
            _nextSampleMs = KvTimeline[^1].TimeMs + _sampleEveryMs;
        }
    }
}
