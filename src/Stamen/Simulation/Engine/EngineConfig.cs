using Stamen.Hardware;
using Stamen.Model;

namespace Stamen.Simulation.Engine;

/// <summary>
/// One engine instance: the model it serves, the GPU it runs on, and the scheduler limits.
/// Build it with <see cref="ForGpu"/> to size the KV cache from GPU memory, or give the capacity
/// explicitly (as the multi-LoRA paper's measured capacities are given).
/// </summary>
/// <param name="Model">Model served (all blocks on this one GPU).</param>
/// <param name="Gpu">GPU kind.</param>
/// <param name="KvCapacityTokens">Tokens of KV cache the engine may hold at once (whole model).</param>
/// <param name="MaxBatchSize">Most requests in one iteration (vLLM's max_num_seqs).</param>
/// <param name="TokenBudgetPerIteration">Tokens one iteration may compute (vLLM's max_num_batched_tokens);
/// chunked-prefill policies share it between decodes and prefill slices, the others cap prefill tokens with it
/// but always let one whole prompt in.</param>
/// <param name="BlockSizeTokens">Tokens per paged KV block (16 in vLLM).</param>
/// <param name="MaxContextTokens">Longest prompt + output accepted; what ORCA max-length reserves.</param>
public sealed record EngineConfig(
    ModelSpec Model,
    GpuSpec Gpu,
    long KvCapacityTokens,
    int MaxBatchSize = 256,
    int TokenBudgetPerIteration = 2048,
    int BlockSizeTokens = 16,
    int MaxContextTokens = 8192)
{
    /// <summary>Fraction of GPU memory left after weights that vLLM hands to the KV cache by default (gpu_memory_utilization).</summary>
    public const double DefaultMemoryUtilisation = 0.9;

    /// <summary>Host-device copy rate for swap preemption: what PCIe 4.0 x16 sustains in practice (about 25 GB/s).</summary>
    public const double DefaultPcieBytesPerSec = 25e9;

    /// <summary>CPU memory for swapped-out KV: vLLM's default swap_space of 4 GiB.</summary>
    public const double DefaultSwapSpaceBytes = 4.0 * 1024 * 1024 * 1024;

    /// <summary>vLLM's block-manager watermark: a waiting request is admitted only if this fraction of the KV blocks stays free.</summary>
    public const double DefaultWatermarkFraction = 0.01;

    /// <summary>Fraction of KV blocks that admitting a waiting request must leave free (paged policies), so running requests can grow without preempting at once.</summary>
    public double WatermarkFraction { get; init; } = DefaultWatermarkFraction;

    /// <summary>Host-device copy rate for swapping KV out and in, bytes per second.</summary>
    public double PcieBytesPerSec { get; init; } = DefaultPcieBytesPerSec;

    /// <summary>CPU memory that swapped-out KV may occupy, bytes.</summary>
    public double SwapSpaceBytes { get; init; } = DefaultSwapSpaceBytes;

    /// <summary>KV bytes one token leaves across all blocks of the model.</summary>
    public double KvBytesPerToken => Model.KvBytesPerTokenPerBlock * Model.NumBlocks;

    /// <summary>
    /// Weight bytes resident on the GPU: every block plus the input embedding and the output head
    /// (counted untied, vocab x hidden each, at the weight precision), since one engine runs the whole model.
    /// </summary>
    public double WeightBytes => WeightBytesOf(Model);

    /// <summary>KV blocks the cache holds.</summary>
    public long KvCapacityBlocks => KvCapacityTokens / BlockSizeTokens;

    /// <summary>
    /// Config with the KV capacity from memory: (GPU memory - weights) x <paramref name="memoryUtilisation"/>
    /// / KV bytes per token; an input error when the weights do not fit.
    /// </summary>
    public static EngineConfig ForGpu(ModelSpec model, GpuSpec gpu, double memoryUtilisation = DefaultMemoryUtilisation,
        int maxBatchSize = 256, int tokenBudgetPerIteration = 2048, int blockSizeTokens = 16, int maxContextTokens = 8192)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gpu);
        if (memoryUtilisation is <= 0 or > 1)
            throw new StamenInputException("engine", "memory_utilisation", "must be in (0, 1]", "use e.g. 0.9");
        var free = (gpu.MemoryBytes - WeightBytesOf(model)) * memoryUtilisation;
        var perToken = model.KvBytesPerTokenPerBlock * model.NumBlocks;
        var tokens = (long)Math.Floor(free / perToken);
        if (tokens < blockSizeTokens)
            throw new StamenInputException("engine", "gpu", $"{model.Name} leaves no KV memory on {gpu.Name}", "choose a larger GPU or a smaller model");
        return new EngineConfig(model, gpu, tokens, maxBatchSize, tokenBudgetPerIteration, blockSizeTokens, maxContextTokens);
    }

    /// <summary>Every problem with the limits, in one message; nothing when valid.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (KvCapacityTokens < BlockSizeTokens) problems.Add("kv_capacity_tokens must hold at least one block");
        if (MaxBatchSize < 1) problems.Add("max_batch_size must be at least 1");
        if (TokenBudgetPerIteration < 1) problems.Add("token_budget_per_iteration must be at least 1");
        if (BlockSizeTokens < 1) problems.Add("block_size_tokens must be at least 1");
        if (MaxContextTokens < 2) problems.Add("max_context_tokens must be at least 2");
        if (!(PcieBytesPerSec > 0) || !double.IsFinite(PcieBytesPerSec)) problems.Add("pcie_gb_per_s must be positive");
        if (!(SwapSpaceBytes >= 0) || !double.IsFinite(SwapSpaceBytes)) problems.Add("swap_space_gb must be 0 or more");
        if (WatermarkFraction is < 0 or >= 1 || double.IsNaN(WatermarkFraction)) problems.Add("watermark must be in [0, 1)");
        if (problems.Count > 0)
            throw new StamenInputException("engine", "config", string.Join("; ", problems), "fix the engine limits");
    }

    private static double WeightBytesOf(ModelSpec model) =>
        model.BlockBytes * model.NumBlocks + 2.0 * model.VocabSize * model.HiddenSize * model.WeightBitsPerParam / 8.0;
}
