using System.Collections.Immutable;
using Stamen.Model;
using Stamen.Options;

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
    /// min(download, upload) assumed for a server with no measured network rate, for PETALS'
    /// network_rps = bits/s / (d_model * 16). 1 Gbit/s (the clustered setup's LAN).
    /// </summary>
    public double NetworkBitsPerSec { get; init; } = 1e9;

    /// <summary>Where a server's forward and network rates come from (<see cref="PetalsThroughputSource"/>).</summary>
    public PetalsThroughputSource Throughput { get; init; } = PetalsThroughputSource.Measured;

    /// <summary>How a server's attention cache is bounded (<see cref="PetalsCachePool"/>).</summary>
    public PetalsCachePool CachePool { get; init; } = PetalsCachePool.PerBlock;

    /// <summary>
    /// Relative tolerance when comparing block throughputs while choosing a start: two values within
    /// it count as equal, so the choice does not depend on the order the sums were added in (our
    /// choice). 0 compares exactly, with throughputs summed in join order, as the published
    /// simulator does.
    /// </summary>
    public double TieTolerance { get; init; } = 1e-9;

    /// <summary>Server names in join order when <see cref="JoinOrder"/> is <see cref="PetalsJoinOrder.Named"/>; unnamed servers follow in listed order.</summary>
    public ImmutableArray<string> JoinOrderNames { get; init; } = [];

    /// <summary>Stop rebalancing after this many moves per server (a guard; PETALS runs forever).</summary>
    public int MaxMovesPerServer { get; init; } = 100;

    /// <summary>Order in which servers join (the published ablation "optimized order" uses CG-BP's).</summary>
    public PetalsJoinOrder JoinOrder { get; init; } = PetalsJoinOrder.Auto;

    /// <summary>How many blocks each server holds (the published ablation "optimized number" uses CG-BP's).</summary>
    public PetalsBlockCounts BlockCounts { get; init; } = PetalsBlockCounts.Petals;

    /// <summary>The catalog's options of PETALS placement; <see cref="From"/> reads them back.</summary>
    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        OptionSpec.Flag("rebalance", true, "Run PETALS' rebalancing after every server has joined (real PETALS: on; published simulator: off)"),
        OptionSpec.Number("balance_quality", 0.75, 0, 1, "A server moves when old / new minimum block throughput falls below this (PETALS balance_quality)"),
        new OptionSpec("join_order", OptionKind.ChoiceOrNames, "auto",
            "Order servers join: auto (listed when the scenario lists its servers, else seeded), seeded (a seeded shuffle), listed, cg-bp (CG-BP's amortized-time order), or a list of server names")
            { Choices = ["auto", "seeded", "listed", "cg-bp"] },
        OptionSpec.Choice("block_counts", "petals", ["petals", "cg-bp"], "Blocks per server: PETALS' rule beside a fixed cache per block, or CG-BP's counts and shared pools"),
        OptionSpec.Choice("cache_pool", "per-block", ["per-block", "server-slots"],
            "per-block: each held block has its own pool of cache_tokens_per_block (real PETALS); server-slots: one pool of floor(m x cache per block / s_c) session slots per server (published simulator)"),
        OptionSpec.Choice("throughput", "measured", ["measured", "decode-rate"],
            "Server throughput min(forward_rps / ((m+1)/2), network_rps) from the measured forward and network rates (server fields or GPU calibration; PETALS measures them), or from 1000/tau and network_mbps"),
        OptionSpec.Number("network_mbps", 1000, 1e-3, 1e6, "min(download, upload) of a server with no measured network rate", "Mbit/s"),
        OptionSpec.Number("tie_tolerance", 1e-9, 0, 1e-3, "Relative tolerance comparing block throughputs (0: exact, sums in join order, as the published simulator)"),
        OptionSpec.WholeNumber("cache_tokens_per_block", null, 1, 1 << 24, "Attention cache tokens per block (auto: 4096, or 16384 with grouped KV heads)", "tokens"),
        OptionSpec.WholeNumber("max_moves_per_server", 100, 0, 10_000, "Rebalancing stops after this many moves per server (a guard; PETALS runs forever)"),
    ];

    /// <summary>Options from validated catalog values.</summary>
    public static PetalsPlacementOptions From(OptionValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var names = values.Names("join_order");
        return new PetalsPlacementOptions
        {
            Rebalance = values.Bool("rebalance"),
            BalanceQuality = values.Number("balance_quality"),
            JoinOrder = names is not null ? PetalsJoinOrder.Named : values.Choice("join_order") switch
            {
                "seeded" => PetalsJoinOrder.SeededRandom,
                "listed" => PetalsJoinOrder.Listed,
                "cg-bp" => PetalsJoinOrder.CgBpAmortizedTime,
                _ => PetalsJoinOrder.Auto,
            },
            JoinOrderNames = names ?? [],
            BlockCounts = values.Choice("block_counts") == "cg-bp" ? PetalsBlockCounts.CgBp : PetalsBlockCounts.Petals,
            CachePool = values.Choice("cache_pool") == "server-slots" ? PetalsCachePool.ServerSlots : PetalsCachePool.PerBlock,
            Throughput = values.Choice("throughput") == "decode-rate" ? PetalsThroughputSource.DecodeRate : PetalsThroughputSource.Measured,
            NetworkBitsPerSec = values.Number("network_mbps") * 1e6,
            TieTolerance = values.Number("tie_tolerance"),
            CacheTokensPerBlock = values.WholeNumberOrNull("cache_tokens_per_block"),
            MaxMovesPerServer = values.WholeNumber("max_moves_per_server"),
        };
    }

    internal int CacheTokensFor(ModelSpec model) => CacheTokensPerBlock ?? (model.KvGroups > 1 ? 16384 : 4096);

    internal double ReservedBytesFor(ModelSpec model) => ReservedBytes ?? 2.0 * (1L << 30) * model.HiddenSize / 14336.0;
}

/// <summary>Join order of PETALS' placement.</summary>
public enum PetalsJoinOrder
{
    /// <summary><see cref="Listed"/> when the scenario lists its servers one by one, else <see cref="SeededRandom"/>.</summary>
    Auto,

    /// <summary>The order the swarm lists its servers in (a replay of a recorded join sequence).</summary>
    Listed,

    /// <summary>The servers named in <see cref="PetalsPlacementOptions.JoinOrderNames"/> first, then the rest in listed order.</summary>
    Named,

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

/// <summary>Where PETALS' announced server throughput takes its forward and network rates from.</summary>
public enum PetalsThroughputSource
{
    /// <summary>
    /// Measured rates, as PETALS measures them at start-up: the server's forward_rps and network_rps
    /// (scenario fields, else the GPU's calibration for the model); a server with neither falls back
    /// to <see cref="DecodeRate"/> for the missing one (figure <c>throughput_fallback_servers</c>).
    /// </summary>
    Measured,

    /// <summary>
    /// forward_rps = 1000 / tau (one session's decode rate per block: an under-estimate of PETALS'
    /// batched forward rate) and network_rps from <see cref="PetalsPlacementOptions.NetworkBitsPerSec"/>.
    /// </summary>
    DecodeRate,
}

/// <summary>How PETALS bounds a server's attention cache.</summary>
public enum PetalsCachePool
{
    /// <summary>Every held block has its own pool of cache_tokens_per_block (real PETALS).</summary>
    PerBlock,

    /// <summary>
    /// One pool per server of floor(m x cache bytes per block / s_c) session slots, s_c of the typical
    /// request; a session takes one slot whatever its blocks (the published simulator).
    /// </summary>
    ServerSlots,
}
