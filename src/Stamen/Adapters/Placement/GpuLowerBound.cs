using Stamen.Optimization.Milp;

namespace Stamen.Adapters.Placement;

/// <summary>A lower bound on the GPUs any placement needs to serve every adapter without starvation.</summary>
/// <param name="Gpus">The bound.</param>
/// <param name="CapacityTokensPerSec">Most tokens per second one GPU serves (twin-measured), the bound's capacity.</param>
/// <param name="AnalyticGpus">ceil(0.9 x offered / capacity).</param>
/// <param name="MilpGpus">The bin-packing MILP's proven bound, or null when it was not run (too many adapters, or no CBC).</param>
public sealed record GpuLowerBoundResult(int Gpus, double CapacityTokensPerSec, int AnalyticGpus, int? MilpGpus, string How);

/// <summary>
/// Lower bound on GPUs. A GPU that does not starve serves at least 0.9 of what it is offered, and no GPU serves
/// more than C tokens/s, where C is the twin's saturated throughput of one GPU holding a single adapter of the
/// smallest rank (the fewest adapters give the smallest step overhead and the most KV; more adapters or larger
/// ranks only cost). So each GPU can be offered at most C / 0.9 tokens/s, and a placement needs at least
/// ceil(0.9 x total offered / C) GPUs (the bin-packing LP relaxation); with few adapters the bin-packing MILP
/// (adapters indivisible) through CBC gives a tighter proven bound.
/// </summary>
public static class GpuLowerBound
{
    /// <summary>Above this many adapters the bin-packing MILP is not attempted (it grows as adapters x GPUs binaries).</summary>
    public const int MilpMaxAdapters = 80;

    /// <summary>Rate that saturates one engine with the single probe adapter, requests/s.</summary>
    private const double SaturatingRatePerSec = 40;

    public static GpuLowerBoundResult Compute(IReadOnlyList<AdapterDemand> adapters, GpuServingTwin twin, IMilpSolver? solver = null,
        double milpTimeLimitSec = 10)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        ArgumentNullException.ThrowIfNull(twin);
        if (adapters.Count == 0) return new GpuLowerBoundResult(0, 0, 0, null, "no adapters");
        var probe = new AdapterDemand("probe", adapters.Min(a => a.Rank), SaturatingRatePerSec);
        var capacity = twin.Serve([probe], 1).ThroughputTokensPerSec;
        var perRequest = twin.PromptTokens.Mean + twin.OutputTokens.Mean;
        var sizes = adapters.Select(a => a.RatePerSec * perRequest).ToArray();
        var binCapacity = capacity / 0.9;
        var analytic = Math.Max(1, (int)Math.Ceiling(sizes.Sum() / binCapacity - 1e-9));
        if (adapters.Count > MilpMaxAdapters || solver is null)
            return new GpuLowerBoundResult(analytic, capacity, analytic, null,
                solver is null ? "analytic (no MILP solver)" : $"analytic (MILP only up to {MilpMaxAdapters} adapters)");
        try
        {
            var milp = BinPackingBound(sizes, binCapacity, solver, milpTimeLimitSec);
            var bound = Math.Max(analytic, milp);
            return new GpuLowerBoundResult(bound, capacity, analytic, milp, "bin-packing MILP (CBC) and analytic");
        }
        catch (StamenInputException)
        {
            return new GpuLowerBoundResult(analytic, capacity, analytic, null, "analytic (CBC not installed)");
        }
    }

    /// <summary>Proven lower bound on bins: the optimum when solved, else the ceiling of CBC's best bound.</summary>
    private static int BinPackingBound(double[] sizes, double binCapacity, IMilpSolver solver, double timeLimitSec)
    {
        // Bins an item larger than a bin still needs one of its own; cap sizes so the model stays feasible.
        var items = sizes.Select(s => Math.Min(s, binCapacity)).ToArray();
        var bins = FirstFitDecreasing(items, binCapacity);
        var model = new MilpModel();
        var used = Enumerable.Range(0, bins).Select(b => model.AddBinary($"y{b}")).ToArray();
        var x = new MilpVariable[items.Length, bins];
        for (var i = 0; i < items.Length; i++)
            for (var b = 0; b < bins; b++)
                x[i, b] = model.AddBinary($"x{i}_{b}");
        for (var i = 0; i < items.Length; i++)
            model.AddConstraint($"assign{i}", Enumerable.Range(0, bins).Select(b => 1.0 * x[i, b]), ConstraintSense.Equal, 1);
        for (var b = 0; b < bins; b++)
        {
            var terms = Enumerable.Range(0, items.Length).Select(i => items[i] * x[i, b]).Append(-binCapacity * used[b]);
            model.AddConstraint($"capacity{b}", terms, ConstraintSense.LessOrEqual, 0);
            if (b > 0) model.AddConstraint($"order{b}", [1.0 * used[b], -1.0 * used[b - 1]], ConstraintSense.LessOrEqual, 0);
        }
        model.Minimize(used.Select(y => 1.0 * y));
        var result = solver.Solve(model, new MilpOptions { TimeLimitSeconds = timeLimitSec });
        return result.Status == MilpStatus.Optimal
            ? (int)Math.Round(result.ObjectiveValue)
            : double.IsFinite(result.BestBound) ? (int)Math.Ceiling(result.BestBound - 1e-6) : 0;
    }

    private static int FirstFitDecreasing(double[] items, double capacity)
    {
        var bins = new List<double>();
        foreach (var s in items.OrderByDescending(v => v))
        {
            var i = bins.FindIndex(b => b + s <= capacity + 1e-9);
            if (i < 0) bins.Add(s);
            else bins[i] += s;
        }
        return Math.Max(1, bins.Count);
    }
}
