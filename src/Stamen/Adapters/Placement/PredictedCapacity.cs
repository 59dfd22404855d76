namespace Stamen.Adapters.Placement;

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
