namespace Stamen.Performance;

/// <summary>
/// How one batching server runs the model's layers: per-layer batch times for prompt and decode tokens,
/// and, by the number of layers k it holds (index k, 0..<see cref="MaxLayers"/>), its KV cache in
/// token-layers (a prompt of P tokens on k layers takes P x k) and the most decode tokens per batch.
/// </summary>
/// <param name="Machine">Machine type, for reports.</param>
/// <param name="DecodeMs">Ms per layer by decode tokens in the batch.</param>
/// <param name="PromptMs">Ms per layer by prompt tokens in the batch.</param>
/// <param name="KvTokenLayers">KV capacity (token-layers) by layers held; index 0 is unused.</param>
/// <param name="DecodeMaxTokens">Most decode tokens in one batch, by layers held.</param>
/// <param name="PromptMaxRequests">Most prompts in one batch.</param>
/// <param name="PromptMaxTokens">Most prompt tokens in one batch.</param>
public sealed record ServerBatchProfile(
    string Machine,
    BatchTimeTable DecodeMs,
    BatchTimeTable PromptMs,
    IReadOnlyList<long> KvTokenLayers,
    IReadOnlyList<int> DecodeMaxTokens,
    int PromptMaxRequests,
    int PromptMaxTokens)
{
    /// <summary>Most layers the profile covers.</summary>
    public int MaxLayers => KvTokenLayers.Count - 1;
}
