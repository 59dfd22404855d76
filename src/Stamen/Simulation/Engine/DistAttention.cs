namespace Stamen.Simulation.Engine;

/// <summary>
/// DistKV-LLM's DistAttention cost: attention over KV blocks borrowed from another instance runs where
/// they live, so per layer the query goes to the lender and the partial output with its softmax max and
/// sum (fp32 per head) comes back: one round trip per layer, plus the bytes of every query token.
/// </summary>
internal sealed class DistAttention
{
    private readonly double _roundTripsMs;
    private readonly double _msPerQueryToken;

    public DistAttention(EngineConfig config, DistKvSettings net)
    {
        var model = config.Model;
        var bytesPerQueryToken = 2.0 * model.HiddenSize * 2 + model.NumHeads * 2 * 4.0;
        _roundTripsMs = model.NumBlocks * net.LinkRttMs;
        _msPerQueryToken = model.NumBlocks * bytesPerQueryToken / (net.LinkBytesPerSec / 1000.0);
    }

    /// <summary>Extra step time for <paramref name="remoteQueryTokens"/> query tokens that attend to borrowed blocks (0 for none).</summary>
    public double StepMs(long remoteQueryTokens) => remoteQueryTokens > 0 ? _roundTripsMs + remoteQueryTokens * _msPerQueryToken : 0;
}
