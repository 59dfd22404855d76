using Stamen.Model;

namespace Stamen.Placement;

/// <summary>Settings of <see cref="PetalsPlacementPlanner"/>; defaults are PETALS' own.</summary>
public sealed record PetalsPlacementOptions
{
    public static PetalsPlacementOptions Default { get; } = new();

    /// <summary>Run PETALS' rebalancing after every server has joined.</summary>
    public bool Rebalance { get; init; } = true;

    /// <summary>A server moves when (old min block throughput / new min) falls below this (PETALS <c>balance_quality</c>).</summary>
    public double BalanceQuality { get; init; } = 0.75;

    /// <summary>
    /// Tokens of attention cache reserved per block. Null: PETALS' rule, 4096 tokens, or 16384 for
    /// grouped/multi-query attention (kv_groups &gt; 1), whose per-token cache is kv_groups times smaller.
    /// </summary>
    public int? CacheTokensPerBlock { get; init; }

    /// <summary>Memory kept free for autograd. Null: PETALS' 2 GiB * d_model / 14336.</summary>
    public double? ReservedBytes { get; init; }

    /// <summary>
    /// Assumed min(download, upload) of every server, for PETALS' network_rps = bits/s / (d_model * 16).
    /// PETALS measures it; the reference gives no figure, so 1 Gbit/s (the clustered setup's LAN).
    /// </summary>
    public double NetworkBitsPerSec { get; init; } = 1e9;

    /// <summary>Stop rebalancing after this many moves per server (a guard; PETALS runs forever).</summary>
    public int MaxMovesPerServer { get; init; } = 100;

    /// <summary>Order in which servers join (the published ablation "optimized order" uses CG-BP's).</summary>
    public PetalsJoinOrder JoinOrder { get; init; } = PetalsJoinOrder.SeededRandom;

    /// <summary>How many blocks each server holds (the published ablation "optimized number" uses CG-BP's).</summary>
    public PetalsBlockCounts BlockCounts { get; init; } = PetalsBlockCounts.Petals;

    internal int CacheTokensFor(ModelSpec model) => CacheTokensPerBlock ?? (model.KvGroups > 1 ? 16384 : 4096);

    internal double ReservedBytesFor(ModelSpec model) => ReservedBytes ?? 2.0 * (1L << 30) * model.HiddenSize / 14336.0;
}

/// <summary>Join order of PETALS' placement.</summary>
public enum PetalsJoinOrder
{
    /// <summary>A seeded shuffle: servers come online in no particular order (PETALS).</summary>
    SeededRandom,

    /// <summary>CG-BP's order: ascending amortized time tau_j + max_c RTT(c,j) / m_j with CG-BP's m_j.</summary>
    CgBpAmortizedTime,
}

/// <summary>Block counts of PETALS' placement.</summary>
public enum PetalsBlockCounts
{
    /// <summary>PETALS' rule: as many blocks as fit beside a fixed 4096-token cache per block.</summary>
    Petals,

    /// <summary>CG-BP's conservative counts (cache room for R sessions) and its shared cache pool.</summary>
    CgBp,
}
