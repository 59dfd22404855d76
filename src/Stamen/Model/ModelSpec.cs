namespace Stamen.Model;

/// <summary>
/// A decoder-only transformer as a stack of identical blocks, with what the swarm's performance
/// model needs: bytes of one block's weights, KV-cache bytes per token per block, FLOPs per token.
/// </summary>
/// <param name="Name">Catalog key, e.g. <c>bloom-176b</c>.</param>
/// <param name="NumBlocks">Transformer blocks L.</param>
/// <param name="HiddenSize">d_model.</param>
/// <param name="NumHeads">Attention (query) heads.</param>
/// <param name="NumKvHeads">Key/value heads (equal to <paramref name="NumHeads"/> without GQA/MQA).</param>
/// <param name="IntermediateSize">MLP inner width.</param>
/// <param name="VocabSize">Vocabulary (embeddings and head run on the client).</param>
/// <param name="ParamsPerBlock">Parameters of one block.</param>
/// <param name="WeightBitsPerParam">Stored bits per weight (16 for fp16/bf16, 4.25 for NF4 with its scales).</param>
/// <param name="WeightOverheadFactor">Multiplier on weight bytes for buffers not counted in parameters (1.01 for BLOOM NF4 in the reference).</param>
/// <param name="KvBytesPerValue">Bytes of one cached key or value element (2 for fp16).</param>
public sealed record ModelSpec(
    string Name,
    int NumBlocks,
    int HiddenSize,
    int NumHeads,
    int NumKvHeads,
    int IntermediateSize,
    int VocabSize,
    long ParamsPerBlock,
    double WeightBitsPerParam,
    double WeightOverheadFactor,
    double KvBytesPerValue)
{
    /// <summary>s_m: bytes of one block's weights.</summary>
    public double BlockBytes => ParamsPerBlock * WeightBitsPerParam / 8.0 * WeightOverheadFactor;

    /// <summary>KV heads share queries in groups; the cache shrinks by this factor.</summary>
    public int KvGroups => NumHeads / NumKvHeads;

    /// <summary>Bytes of keys and values one token leaves in one block's attention cache.</summary>
    public double KvBytesPerTokenPerBlock => 2.0 * HiddenSize / KvGroups * KvBytesPerValue;

    /// <summary>s_c: cache of one block for one session of <paramref name="promptTokens"/> + <paramref name="outputTokens"/>.</summary>
    public double SessionCacheBytesPerBlock(int promptTokens, int outputTokens) =>
        KvBytesPerTokenPerBlock * (promptTokens + outputTokens);

    /// <summary>A dense matmul costs two FLOPs per parameter per token (attention over the context is ignored).</summary>
    public double FlopsPerTokenPerBlock => 2.0 * ParamsPerBlock;

    /// <summary>Bytes of one hidden-state vector relayed between client and server per token.</summary>
    public double HiddenStateBytesPerToken => HiddenSize * 2.0;
}
