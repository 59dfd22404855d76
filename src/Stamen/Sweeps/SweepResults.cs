using Stamen.Simulation.Metrics;

namespace Stamen.Sweeps;

/// <summary>One algorithm of one cell, summarised over the runs found.</summary>
/// <param name="Runs">Runs found in the store.</param>
/// <param name="ExpectedRuns">Runs the plan holds.</param>
/// <param name="Metrics">Mean and 95% half-width over the runs, in run order, per metric: the family's metrics first.</param>
/// <param name="TimingsMs">Wall-clock figures, summarised the same way.</param>
public sealed record SweepAlgorithmSummary(string Algorithm, int Runs, int ExpectedRuns,
    IReadOnlyList<KeyValuePair<string, MeanWithCi>> Metrics, IReadOnlyList<KeyValuePair<string, MeanWithCi>> TimingsMs)
{
    public bool Complete => Runs == ExpectedRuns;

    public MeanWithCi? Metric(string name)
    {
        foreach (var (k, v) in Metrics)
            if (k == name) return v;
        return null;
    }
}

/// <summary>One cell's algorithms, summarised.</summary>
public sealed record SweepCellSummary(SweepCell Cell, IReadOnlyList<SweepAlgorithmSummary> Algorithms)
{
    public bool Complete => Algorithms.All(a => a.Complete);
}

/// <summary>Summaries of a store's rows over a plan: Monte Carlo means and confidence intervals, as the commands print them.</summary>
public static class SweepResults
{
    public static IReadOnlyList<SweepCellSummary> Summarize(SweepPlan plan, IReadOnlyList<SweepRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);
        var byCell = rows.GroupBy(r => r.Cell).ToDictionary(g => g.Key, g => g.ToList());
        return [.. plan.Cells.Select(cell =>
        {
            var mine = byCell.TryGetValue(cell.Index, out var list) ? list : [];
            return new SweepCellSummary(cell, [.. cell.Algorithms.Select(algorithm =>
            {
                // Rows come in plan order, so runs are in run order as Monte Carlo summaries expect.
                var runs = mine.Where(r => r.Algorithm == algorithm).OrderBy(r => r.Run).ToList();
                return new SweepAlgorithmSummary(algorithm, runs.Count, cell.Runs,
                    Summaries(runs, r => r.Metrics, plan.Family.MetricNames), Summaries(runs, r => r.TimingsMs, []));
            })]);
        })];
    }

    /// <summary>
    /// Per name, the summary over <paramref name="runs"/> (NaN where a run lacks it): the declared names first, then any
    /// other name some run has a value for (a plan's own figures), in name order.
    /// </summary>
    private static List<KeyValuePair<string, MeanWithCi>> Summaries(List<SweepRecord> runs, Func<SweepRecord, IReadOnlyList<KeyValuePair<string, double>>> of,
        IReadOnlyList<string> declared)
    {
        if (runs.Count == 0) return [];
        var present = runs.SelectMany(of).Where(m => !double.IsNaN(m.Value)).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        var inAnyRow = runs.SelectMany(of).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        var names = declared.Where(inAnyRow.Contains)
            .Concat(present.Where(n => !declared.Contains(n)).Order(StringComparer.Ordinal))
            .ToList();
        return [.. names.Select(name => new KeyValuePair<string, MeanWithCi>(name, MonteCarloSummary.Summarize(
            [.. runs.Select(r => Value(of(r), name))])))];
    }

    private static double Value(IReadOnlyList<KeyValuePair<string, double>> list, string name)
    {
        foreach (var (k, v) in list)
            if (k == name) return v;
        return double.NaN;
    }
}
