namespace Stamen.Adapters.Placement;

/// <summary>Longest processing time first: adapters busiest first, each onto the GPU with the least request rate so far.</summary>
internal static class LoadSpreading
{
    /// <summary>Adapters by rate, busiest first (ties by name, so spreading is deterministic).</summary>
    public static AdapterDemand[] BusiestFirst(IEnumerable<AdapterDemand> adapters) =>
        [.. adapters.OrderByDescending(a => a.RatePerSec).ThenBy(a => a.Name, StringComparer.Ordinal)];

    /// <summary>Spreads <paramref name="busiestFirst"/> over <paramref name="gpus"/> GPUs; empty GPUs are dropped.</summary>
    public static List<AdapterDemand>[] Spread(IReadOnlyList<AdapterDemand> busiestFirst, int gpus)
    {
        var bins = Enumerable.Range(0, gpus).Select(_ => new List<AdapterDemand>()).ToArray();
        var loads = new double[gpus];
        foreach (var a in busiestFirst)
        {
            var least = Array.IndexOf(loads, loads.Min());
            bins[least].Add(a);
            loads[least] += a.RatePerSec;
        }
        return [.. bins.Where(b => b.Count > 0)];
    }
}
