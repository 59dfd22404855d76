namespace Stamen.Adapters.Placement;

/// <summary>
/// The published greedy: ranks from largest to smallest, adapters of a rank in zig-zag rate order (largest,
/// smallest, second largest, ...) so each GPU mixes busy and quiet adapters, filled by <see cref="CheckpointFill"/>.
/// </summary>
public sealed class GreedyAdapterPlacer : IAdapterPlacer
{
    public string Name => "greedy";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CheckpointFill.Fill(Name, ZigZagByRank(context.Adapters), context);
    }

    /// <summary>Ranks descending; within a rank, rates in zig-zag order (ties by name, so the order is deterministic).</summary>
    public static IReadOnlyList<AdapterDemand> ZigZagByRank(IReadOnlyList<AdapterDemand> adapters)
    {
        var order = new List<AdapterDemand>(adapters.Count);
        foreach (var group in adapters.GroupBy(a => a.Rank).OrderByDescending(g => g.Key))
        {
            var byRate = group.OrderByDescending(a => a.RatePerSec).ThenBy(a => a.Name, StringComparer.Ordinal).ToArray();
            for (int lo = 0, hi = byRate.Length - 1; lo <= hi; lo++, hi--)
            {
                order.Add(byRate[lo]);
                if (hi != lo) order.Add(byRate[hi]);
            }
        }
        return order;
    }
}

/// <summary>
/// Ours: the published greedy's order and checkpoints, but a GPU that starves at a checkpoint keeps the most
/// adapters short of it that do not starve (bisection) instead of falling back to the previous checkpoint,
/// which can leave up to half a GPU empty (64 adapters fit, 96 do not: the published rule keeps 64).
/// </summary>
public sealed class GreedyBisectPlacer : IAdapterPlacer
{
    public string Name => "greedy-bisect";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CheckpointFill.Fill(Name, GreedyAdapterPlacer.ZigZagByRank(context.Adapters), context, bisect: true);
    }
}

/// <summary>Baseline: a seeded random order, filled by the same checkpoints and predictor as the greedy.</summary>
public sealed class RandomAdapterPlacer : IAdapterPlacer
{
    public string Name => "random";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = context.Adapters.ToArray();
        new Random(Simulation.SeedStreams.Derive(context.Seed, Simulation.SeedStreams.Planner)).Shuffle(order);
        return CheckpointFill.Fill(Name, order, context);
    }
}

/// <summary>
/// Baseline: max-backbone, the fewest GPUs memory allows: in rank order, each GPU takes as many adapters as it
/// has slots at the memory limit of its largest rank, with no throughput check.
/// </summary>
public sealed class MaxBackbonePlacer : IAdapterPlacer
{
    public string Name => "max-backbone";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = context.Adapters.OrderByDescending(a => a.Rank).ThenBy(a => a.Name, StringComparer.Ordinal).ToArray();
        var gpus = new List<GpuAssignment>();
        for (var i = 0; i < order.Length;)
        {
            var slots = Math.Max(1, context.MaxSlots(order[i].Rank));
            var take = order.Skip(i).Take(slots).ToArray();
            gpus.Add(new GpuAssignment(Math.Min(slots, take.Length), take));
            i += take.Length;
        }
        return new AdapterPlacement(Name, gpus, context.PredictedStarved(gpus));
    }
}

/// <summary>
/// Baseline in the manner of LoRAServe: rank-aware first-fit. GPUs serve one rank each (no padding of small
/// adapters to a large max rank); adapters, busiest first, go to the first GPU of their rank whose offered token
/// rate stays within that rank's capacity (0.9 x the predicted saturated throughput), with the ladder's slots.
/// </summary>
public sealed class RankAwarePlacer : IAdapterPlacer
{
    public string Name => "rank-aware";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var gpus = new List<GpuAssignment>();
        foreach (var group in context.Adapters.GroupBy(a => a.Rank).OrderByDescending(g => g.Key))
        {
            var capacity = Capacity.SaturatedTokensPerSec(context, group.Key) * 0.9;
            var bins = new List<(List<AdapterDemand> Adapters, double Tokens)>();
            foreach (var a in group.OrderByDescending(a => a.RatePerSec).ThenBy(a => a.Name, StringComparer.Ordinal))
            {
                var tokens = a.RatePerSec * context.TokensPerRequest;
                var bin = bins.FindIndex(b => b.Tokens + tokens <= capacity);
                if (bin < 0)
                {
                    bins.Add(([], 0));
                    bin = bins.Count - 1;
                }
                bins[bin].Adapters.Add(a);
                bins[bin] = (bins[bin].Adapters, bins[bin].Tokens + tokens);
            }
            gpus.AddRange(bins.Select(b => new GpuAssignment(context.DefaultSlots(b.Adapters), b.Adapters)));
        }
        return new AdapterPlacement(Name, gpus, context.PredictedStarved(gpus));
    }
}

/// <summary>
/// Baseline in the manner of dLoRA's proactive placement: size the fleet from the total offered token rate and a
/// GPU's predicted capacity, spread adapters busiest first onto the least loaded GPU (longest processing time
/// first), and add a GPU and spread again while the predictor expects any GPU to starve.
/// </summary>
public sealed class ProactivePlacer : IAdapterPlacer
{
    public string Name => "dlora-proactive";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var capacity = Capacity.SaturatedTokensPerSec(context, context.Adapters.Max(a => a.Rank));
        var offered = context.Adapters.Sum(a => a.RatePerSec) * context.TokensPerRequest;
        var count = Math.Max(1, (int)Math.Ceiling(offered / capacity));
        var order = context.Adapters.OrderByDescending(a => a.RatePerSec).ThenBy(a => a.Name, StringComparer.Ordinal).ToArray();
        while (true)
        {
            var bins = Enumerable.Range(0, count).Select(_ => new List<AdapterDemand>()).ToArray();
            var loads = new double[count];
            foreach (var a in order)
            {
                var least = Array.IndexOf(loads, loads.Min());
                bins[least].Add(a);
                loads[least] += a.RatePerSec;
            }
            var gpus = bins.Where(b => b.Count > 0).Select(b => new GpuAssignment(context.DefaultSlots(b), b)).ToArray();
            var starved = gpus.Where(g => context.Predictor.Predict(g.Adapters, g.Slots).Starved).ToArray();
            // An adapter too busy for a GPU of its own starves however many GPUs there are: only shared GPUs call for another.
            if (starved.All(g => g.Adapters.Count == 1) || count >= order.Length) return new AdapterPlacement(Name, gpus, starved.Length);
            count++;
        }
    }
}

/// <summary>
/// Ours: balanced. Start from the lower bound on GPUs and spread the adapters busiest first onto the least loaded
/// GPU (longest processing time first, by offered tokens); give each GPU the ladder's slot count if the predictor
/// expects it to keep up, else the best other count within memory; while any GPU would starve, add one GPU and
/// spread again. Every GPU carries about the same load, which is what a GPU's capacity depends on most.
/// </summary>
public sealed class BalancedPlacer : IAdapterPlacer
{
    public string Name => "balanced";

    public AdapterPlacement Place(AdapterPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var order = context.Adapters.OrderByDescending(a => a.RatePerSec).ThenBy(a => a.Name, StringComparer.Ordinal).ToArray();
        var count = GpuLowerBound.Compute(context.Adapters, context.Twin).Gpus;
        while (true)
        {
            var bins = Enumerable.Range(0, count).Select(_ => new List<AdapterDemand>()).ToArray();
            var loads = new double[count];
            foreach (var a in order)
            {
                var least = Array.IndexOf(loads, loads.Min());
                bins[least].Add(a);
                loads[least] += a.RatePerSec;
            }
            var gpus = new List<GpuAssignment>();
            var starved = 0;
            var starvedShared = 0;
            foreach (var bin in bins.Where(b => b.Count > 0))
            {
                var slots = BestSlots(bin, context);
                if (slots is null)
                {
                    starved++;
                    if (bin.Count > 1) starvedShared++;
                }
                gpus.Add(new GpuAssignment(slots ?? context.DefaultSlots(bin), bin));
            }
            // An adapter too busy for a GPU of its own starves however many GPUs there are: only shared GPUs call for another.
            if (starvedShared == 0 || count >= order.Length) return new AdapterPlacement(Name, gpus, starved);
            count++;
        }
    }

    /// <summary>The default slot count when it keeps up, else the non-starving ladder value with the most throughput, else null.</summary>
    private static int? BestSlots(List<AdapterDemand> adapters, AdapterPlacementContext context)
    {
        var preferred = context.DefaultSlots(adapters);
        if (!context.Predictor.Predict(adapters, preferred).Starved) return preferred;
        var limit = Math.Min(context.MaxSlots(adapters.Max(a => a.Rank)), adapters.Count);
        int? best = null;
        var bestThroughput = double.NegativeInfinity;
        foreach (var s in SlotLadder.UpTo(limit).Where(s => s != preferred))
        {
            var p = context.Predictor.Predict(adapters, s);
            if (!p.Starved && p.ThroughputTokensPerSec > bestThroughput) (best, bestThroughput) = (s, p.ThroughputTokensPerSec);
        }
        return best;
    }
}

/// <summary>A GPU's capacity as a predictor sees it: the throughput of a saturating load of 64 adapters of one rank.</summary>
internal static class Capacity
{
    /// <summary>Requests per second that saturate an engine (one H100 serves about 10 of the default lengths), kept within the training data's range.</summary>
    private const double SaturatingRatePerSec = 40;

    public static double SaturatedTokensPerSec(AdapterPlacementContext context, int rank)
    {
        var adapters = Enumerable.Range(0, 64).Select(k => new AdapterDemand($"probe-{k}", rank, SaturatingRatePerSec / 64)).ToArray();
        var slots = Math.Max(1, Math.Min(32, context.MaxSlots(rank)));
        return Math.Max(1, context.Predictor.Predict(adapters, slots).ThroughputTokensPerSec);
    }
}

/// <summary>Every adapter placement method, by name.</summary>
public static class AdapterPlacerCatalog
{
    public static IReadOnlyList<IAdapterPlacer> All { get; } =
        [new GreedyAdapterPlacer(), new GreedyBisectPlacer(), new RandomAdapterPlacer(), new MaxBackbonePlacer(), new RankAwarePlacer(), new ProactivePlacer(), new BalancedPlacer()];

    public static IReadOnlyList<string> Names => [.. All.Select(p => p.Name)];

    public static IAdapterPlacer Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new StamenInputException("adapters", "method", $"unknown placement method '{name}'", $"use one of {string.Join(", ", Names)}");
    }
}
