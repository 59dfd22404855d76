namespace Stamen.Adapters.Placement;

/// <summary>
/// The published greedy's filling step, for any adapter order: fill one GPU at a time in order; at each
/// served-adapter checkpoint (8, 16, 32, 64, 96, 128, ...) and at the end of the list, ask the predictor
/// about the current slot count and the next one on the ladder (within the memory limit of the GPU's
/// largest rank) and keep the better that does not starve; when both starve, hand the adapters added since
/// the last good checkpoint to the next GPU and close this one. A GPU that starves already at its first
/// checkpoint keeps the most adapters (fewer than 8) that do not starve, or one adapter alone, reported as
/// predicted starved, when even that is too much for one GPU. With <c>bisect</c> (ours), a GPU that starves
/// at a checkpoint is not cut back to the previous checkpoint but to the most adapters between the two that
/// do not starve with 10% more load than offered, found by bisection (about log2 of the gap more predictions
/// per GPU). The headroom matters: a GPU filled to the predicted edge starves on another draw of the arrivals.
/// </summary>
internal static class CheckpointFill
{
    public static AdapterPlacement Fill(string method, IReadOnlyList<AdapterDemand> order, AdapterPlacementContext context, bool bisect = false)
    {
        var gpus = new List<GpuAssignment>();
        var starved = 0;
        var i = 0;
        while (i < order.Count)
        {
            var start = i;
            var current = new List<AdapterDemand>();
            (int Count, int Slots)? good = null;
            var slots = 0;
            var checkpoint = SlotLadder.Next(0);
            while (i < order.Count)
            {
                current.Add(order[i++]);
                if (current.Count < checkpoint && i < order.Count) continue;
                if (ChooseSlots(current, slots, context) is not { } chosen)
                {
                    if (bisect && good is { } ok) good = Bisect(current, ok, context);
                    break;
                }
                good = (current.Count, chosen);
                slots = chosen;
                checkpoint = SlotLadder.Next(current.Count);
            }
            if (good is null)
            {
                for (var k = Math.Min(current.Count, SlotLadder.Next(0)) - 1; k >= 1 && good is null; k--)
                    if (ChooseSlots(current.GetRange(0, k), 0, context) is { } chosen) good = (k, chosen);
                if (good is null)
                {
                    good = (1, 1);
                    starved++;
                }
            }
            var (count, gpuSlots) = good.Value;
            gpus.Add(new GpuAssignment(gpuSlots, order.Skip(start).Take(count).ToArray()));
            i = start + count;
        }
        return new AdapterPlacement(method, gpus, starved);
    }

    /// <summary>Load factor a bisected GPU must bear without starving.</summary>
    private const double BisectHeadroom = 1.1;

    /// <summary>The most adapters of <paramref name="current"/> beyond <paramref name="ok"/>'s count (which does not starve) that
    /// still do not starve under <see cref="BisectHeadroom"/> times their rates.</summary>
    private static (int Count, int Slots) Bisect(List<AdapterDemand> current, (int Count, int Slots) ok, AdapterPlacementContext context)
    {
        var (lo, hi) = (ok.Count, current.Count);
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            var heavier = current.GetRange(0, mid).Select(a => a with { RatePerSec = a.RatePerSec * BisectHeadroom }).ToList();
            if (ChooseSlots(heavier, ok.Slots, context) is { } chosen) (lo, ok) = (mid, (mid, chosen));
            else hi = mid;
        }
        return ok;
    }

    /// <summary>The better non-starving of the current slot count and the next rung, or null when both starve.</summary>
    private static int? ChooseSlots(List<AdapterDemand> adapters, int currentSlots, AdapterPlacementContext context)
    {
        var limit = Math.Min(context.MaxSlots(adapters.Max(a => a.Rank)), adapters.Count);
        if (limit < 1) return null;
        var first = Math.Min(currentSlots > 0 ? currentSlots : SlotLadder.AtMost(adapters.Count), limit);
        var second = Math.Min(SlotLadder.Next(first), limit);
        int? best = null;
        var bestThroughput = double.NegativeInfinity;
        foreach (var s in first == second ? [first] : (int[])[first, second])
        {
            var p = context.Predictor.Predict(adapters, s);
            if (p.Starved || p.ThroughputTokensPerSec <= bestThroughput) continue;
            (best, bestThroughput) = (s, p.ThroughputTokensPerSec);
        }
        return best;
    }
}
