using Stamen.Model;
using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Placement;

/// <summary>
/// PETALS' block placement as PETALS implements it (reference section 1, "PETALS baseline").
/// <para>Blocks per server: floor((M - reserved) / (s_m + cache bytes per block)), capped by the
/// server's MaxBlocks and L; a server that cannot hold one block holds nothing. The cache pool is
/// fixed per block (<see cref="CacheBudget"/> with PerBlock).</para>
/// <para>Throughput of a server: min(forward_rps / ((m + 1) / 2), network_rps), with the rates
/// PETALS measures (the server's, else its GPU's calibration for the model), or 1000 / tau and
/// bits/s / (d_model * 16) from <see cref="PetalsPlacementOptions.NetworkBitsPerSec"/> where none
/// is known (<see cref="PetalsThroughputSource"/>; no relays assumed). A block's throughput is the
/// sum over servers holding it, added in join order.</para>
/// <para>Join: servers join in <see cref="PetalsPlacementOptions.JoinOrder"/> (a listed swarm in
/// its listed order, a generated one in an order shuffled from the context's seed), each taking
/// the start whose window of block throughputs, sorted ascending, is lexicographically smallest
/// (values within <see cref="PetalsPlacementOptions.TieTolerance"/> tie; ties: smallest start).</para>
/// <para>Cache: per-block pools of cache_tokens_per_block, or (<see cref="PetalsCachePool.ServerSlots"/>)
/// one pool of floor(m x cache per block / s_c) session slots per server.</para>
/// <para>Rebalancing (when enabled) replaces PETALS' periodic check (every U[0, 240] s) by rounds:
/// each round visits every server in a seeded random order; the server runs PETALS'
/// <c>should_choose_other_blocks</c> (simulate moving itself, then every server moving to its
/// best start until none moves; yes if old / new minimum block throughput &lt; BalanceQuality)
/// and, if so, moves to its best start computed with itself removed, as a restarted PETALS
/// server does. A move that would leave a block uncovered is not made (PETALS tolerates the
/// gap until others move; a static plan must not). Rounds stop when nobody moves or after
/// <see cref="PetalsPlacementOptions.MaxMovesPerServer"/> moves per server.</para>
/// Figures: moves, min_block_throughput_rps, blocks_total, servers_used, cache_bytes_per_block,
/// reserved_bytes, throughput_fallback_servers.
/// </summary>
public sealed class PetalsPlacementPlanner(PetalsPlacementOptions? options = null) : IPlacementPlanner
{
    public PetalsPlacementOptions Options { get; } = options ?? PetalsPlacementOptions.Default;

    /// <summary>Bytes of attention cache PETALS reserves per held block.</summary>
    public static double CacheBytesPerBlock(ModelSpec model, PetalsPlacementOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        return model.KvBytesPerTokenPerBlock * options.CacheTokensFor(model);
    }

    /// <summary>PETALS' block count for <paramref name="server"/> (0 when not even one block fits).</summary>
    public static int BlocksFor(ServerSpec server, ModelSpec model, PetalsPlacementOptions options)
    {
        ArgumentNullException.ThrowIfNull(server);
        var perBlock = model.BlockBytes + CacheBytesPerBlock(model, options);
        var fit = Math.Floor((server.MemoryBytes - options.ReservedBytesFor(model)) / perBlock);
        return (int)Math.Clamp(fit, 0, Math.Min(server.MaxBlocks, model.NumBlocks));
    }

    /// <summary>PETALS' announced throughput (requests per second) of a server holding <paramref name="blocks"/>.</summary>
    public static double ServerThroughputRps(ServerSpec server, int blocks, ModelSpec model, PetalsPlacementOptions options) =>
        ServerThroughput(server, blocks, model, options).Rps;

    /// <summary>
    /// min(forward_rps / ((m + 1) / 2), network_rps), and whether a rate had to fall back to 1000/tau or
    /// the assumed network (only under <see cref="PetalsThroughputSource.Measured"/> for a server with no measured rate).
    /// </summary>
    internal static (double Rps, bool FellBack) ServerThroughput(ServerSpec server, int blocks, ModelSpec model, PetalsPlacementOptions options)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var measured = options.Throughput == PetalsThroughputSource.Measured;
        var forward = measured ? server.Rates.ForwardRps : null;
        var network = measured ? server.Rates.NetworkRps : null;
        var forwardRps = forward ?? 1000.0 / server.Times.DecodeMsPerBlock;
        var networkRps = network ?? options.NetworkBitsPerSec / (model.HiddenSize * 16.0);
        return (Math.Min(forwardRps / ((blocks + 1) / 2.0), networkRps), measured && (forward is null || network is null));
    }

    public PlacementPlan Plan(PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var swarm = context.Swarm;
        var model = swarm.Model;
        var n = swarm.ServerCount;
        var cgbp = Options.JoinOrder == PetalsJoinOrder.CgBpAmortizedTime || Options.BlockCounts == PetalsBlockCounts.CgBp
            ? new CgBpPlanner().Plan(context)
            : null;
        var lengths = Options.BlockCounts == PetalsBlockCounts.CgBp
            ? cgbp!.Placement.Spans.Select(s => s.Count).ToArray()
            : swarm.Servers.Select(s => BlocksFor(s, model, Options)).ToArray();
        var total = lengths.Sum(m => (long)m);
        if (total < model.NumBlocks) throw PlacementErrors.ModelDoesNotFit(model.NumBlocks, total);
        var rates = Enumerable.Range(0, n).Select(j => ServerThroughput(swarm.Servers[j], lengths[j], model, Options)).ToArray();
        var throughputs = rates.Select(r => r.Rps).ToArray();

        var random = new Random(context.Seed);
        var selection = new PetalsBlockSelection(model.NumBlocks, lengths, throughputs, Options.TieTolerance);
        var order = JoinOrder(context, lengths, cgbp, random);
        // Each join adds the server's throughput to the running sums: the same additions, in the same
        // (join) order, as recomputing them from scratch, in O(m) per join instead of O(n m).
        var running = new double[model.NumBlocks];
        foreach (var j in order)
        {
            var start = selection.BestStart(running, lengths[j]);
            selection.Join(j, start);
            for (var b = start; b < start + lengths[j]; b++) running[b] += throughputs[j];
        }

        var moves = Options.Rebalance ? Rebalance(selection, order, lengths, random) : 0;
        var blockThroughputs = selection.BlockThroughputs();
        if (blockThroughputs.Min() <= 0)
            throw new InvalidOperationException("PETALS placement left a block uncovered although the servers hold enough blocks.");

        var cacheBytes = CacheBytesPerBlock(model, Options);
        var spans = Enumerable.Range(0, n).Select(j => lengths[j] > 0 ? new BlockSpan(selection.Starts[j], lengths[j]) : BlockSpan.None).ToList();
        var slotBytes = Options.CachePool == PetalsCachePool.ServerSlots ? context.TypicalSessionCacheBytesPerBlock() : 0;
        var caches = Options.BlockCounts == PetalsBlockCounts.CgBp
            ? cgbp!.Placement.Caches.ToList()
            : lengths.Select(m => m == 0 ? new CacheBudget(0, PerBlock: true)
                : slotBytes > 0 ? CacheBudget.Slots(m * cacheBytes, slotBytes)
                : new CacheBudget(cacheBytes, PerBlock: true)).ToList();
        var figures = new Dictionary<string, double>
        {
            ["moves"] = moves,
            ["min_block_throughput_rps"] = blockThroughputs.Min(),
            ["blocks_total"] = total,
            ["servers_used"] = order.Length,
            ["cache_bytes_per_block"] = cacheBytes,
            ["reserved_bytes"] = Options.ReservedBytesFor(model),
            ["throughput_fallback_servers"] = Enumerable.Range(0, n).Count(j => lengths[j] > 0 && rates[j].FellBack),
        };
        if (cgbp is not null) figures["cg_bp_sessions_R"] = cgbp.Figures["sessions_R"];
        return new PlacementPlan(new BlockPlacement(model.NumBlocks, spans, caches), figures);
    }

    /// <summary>Servers holding blocks, in the order they join (<see cref="PetalsPlacementOptions.JoinOrder"/>).</summary>
    private int[] JoinOrder(PlanningContext context, int[] lengths, PlacementPlan? cgbp, Random random)
    {
        var swarm = context.Swarm;
        var holding = Enumerable.Range(0, swarm.ServerCount).Where(j => lengths[j] > 0).ToArray();
        var order = Options.JoinOrder;
        if (order == PetalsJoinOrder.Auto) order = swarm.ServersListed ? PetalsJoinOrder.Listed : PetalsJoinOrder.SeededRandom;
        switch (order)
        {
            case PetalsJoinOrder.CgBpAmortizedTime:
                return [.. holding.OrderBy(j => CgBpAmortizedMs(swarm, cgbp!.Placement.Spans[j].Count, j)).ThenBy(j => j)];
            case PetalsJoinOrder.SeededRandom:
                PetalsBlockSelection.Shuffle(holding, random);
                return holding;
            case PetalsJoinOrder.Named:
                var rank = new Dictionary<int, int>();
                for (var i = 0; i < Options.JoinOrderNames.Length; i++)
                {
                    var j = FindServer(swarm, Options.JoinOrderNames[i]);
                    rank[j] = i;
                }
                return [.. holding.OrderBy(j => rank.TryGetValue(j, out var r) ? r : int.MaxValue).ThenBy(j => j)];
            default:
                return holding;
        }
    }

    private static int FindServer(SwarmSpec swarm, string name)
    {
        for (var j = 0; j < swarm.ServerCount; j++)
            if (swarm.Servers[j].Name == name) return j;
        throw new ArgumentException($"join_order names '{name}', which is no server of the swarm (scenario validation should have caught it).", nameof(swarm));
    }

    /// <summary>CG-BP's sort key (reference section 1, item 2): tau_j + max_c RTT(c,j) / m_j; servers it leaves idle go last.</summary>
    private static double CgBpAmortizedMs(SwarmSpec swarm, int blocks, int server)
    {
        if (blocks == 0) return double.PositiveInfinity;
        var worstRtt = 0.0;
        for (var c = 0; c < swarm.ClientCount; c++) worstRtt = Math.Max(worstRtt, swarm.Delays.PerTokenRttMs(c, server));
        return swarm.Servers[server].Times.DecodeMsPerBlock + worstRtt / blocks;
    }

    private int Rebalance(PetalsBlockSelection selection, int[] order, int[] lengths, Random random)
    {
        var maxMoves = Options.MaxMovesPerServer * order.Length;
        var moves = 0;
        var moved = true;
        while (moved && moves < maxMoves)
        {
            moved = false;
            PetalsBlockSelection.Shuffle(order, random);
            foreach (var j in order)
            {
                if (moves >= maxMoves) break;
                // Once no simulation can say yes, none will (nobody moves, so nothing changes): the rest would only spend time.
                if (selection.NobodyCanGain(Options.BalanceQuality)) return moves;
                if (!selection.ShouldChooseOtherBlocks(j, Options.BalanceQuality, random, Options.MaxMovesPerServer)) continue;
                var current = selection.Starts[j];
                selection.Leave(j);
                var without = selection.BlockThroughputs();
                var start = selection.BestStart(without, lengths[j]);
                var leavesGap = Enumerable.Range(0, without.Length).Any(b => without[b] <= 0 && (b < start || b >= start + lengths[j]));
                var move = start != current && !leavesGap;
                if (move)
                {
                    moves++;
                    moved = true;
                }
                selection.Join(j, move ? start : current);
            }
        }
        return moves;
    }
}
