namespace Stamen.Simulation.Engine;

/// <summary>
/// CPU swap space of one engine (vLLM's swap preemption): how many KV tokens it holds, how many cross
/// PCIe in the current step (out and back in), and what that costs.
/// </summary>
internal sealed class SwapSpace(EngineConfig config, bool enabled)
{
    private readonly double _msPerToken = config.KvBytesPerToken / (config.PcieBytesPerSec / 1000.0);

    /// <summary>KV tokens the swap space holds at most (0 when the policy does not swap).</summary>
    public long CapacityTokens { get; } = enabled ? (long)Math.Floor(config.SwapSpaceBytes / config.KvBytesPerToken) : 0;

    /// <summary>KV tokens swapped out now.</summary>
    public long UsedTokens { get; private set; }

    /// <summary>Tokens copied over PCIe in the step being formed.</summary>
    public long TokensThisStep { get; private set; }

    public bool Fits(long tokens) => UsedTokens + tokens <= CapacityTokens;

    public void BeginStep() => TokensThisStep = 0;

    public void Out(long tokens)
    {
        UsedTokens += tokens;
        TokensThisStep += tokens;
    }

    public void In(long tokens)
    {
        UsedTokens -= tokens;
        TokensThisStep += tokens;
    }

    /// <summary>The step's copy time.</summary>
    public double StepMs => TokensThisStep * _msPerToken;
}
