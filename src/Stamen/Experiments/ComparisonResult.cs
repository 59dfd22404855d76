using Stamen.Simulation.Metrics;

namespace Stamen.Experiments;

/// <summary>One algorithm's results over every Monte Carlo run of a scenario.</summary>
/// <param name="Algorithm">Algorithm name.</param>
/// <param name="Placement">Placement planner's catalog name.</param>
/// <param name="Routing">Router's catalog name.</param>
/// <param name="Admission">Admission policy's catalog name.</param>
/// <param name="Runs">Monte Carlo runs.</param>
/// <param name="Metrics">Twin metrics by name (seconds, tokens/s, counts), mean and 95% CI over runs.</param>
/// <param name="PlanFigures">Planner figures by name (R, bound, blocks), mean and 95% CI over runs: the same for the same seed.</param>
public sealed record AlgorithmResult(
    string Algorithm,
    string Placement,
    string Routing,
    string Admission,
    int Runs,
    IReadOnlyList<KeyValuePair<string, MeanWithCi>> Metrics,
    IReadOnlyList<KeyValuePair<string, MeanWithCi>> PlanFigures)
{
    /// <summary>
    /// The algorithm reproduces a published simulator (its fixed delays are the published ones
    /// whatever the scenario says): it is compared with the other reproductions, not with Stamen's own.
    /// </summary>
    public bool Published { get; init; }

    /// <summary>Wall-clock figures (planning time, a solver's time), mean and 95% CI over runs: apart because they differ run to run.</summary>
    public IReadOnlyList<KeyValuePair<string, MeanWithCi>> Timings { get; init; } = [];

    public MeanWithCi Metric(string name) => Metrics.First(m => m.Key == name).Value;
}

/// <summary>Every algorithm of a scenario on the same seeds.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Runs">Monte Carlo runs.</param>
/// <param name="Seed">Base seed; run r uses a seed derived from it.</param>
/// <param name="FixedDelays">Whether the fixed per-request delays were included.</param>
/// <param name="Results">One entry per algorithm, in scenario order.</param>
public sealed record ComparisonResult(string Scenario, int Runs, int Seed, bool FixedDelays, IReadOnlyList<AlgorithmResult> Results)
{
    /// <summary>
    /// Algorithms whose every metric (mean and confidence half-width) equals an earlier algorithm's: their rows repeat and their
    /// lines in the charts lie exactly on the earlier one's, which a reader must be told (e.g. the exact MILP proving another
    /// algorithm's plan optimal returns that plan). Each pair names the later algorithm and the first one it equals.
    /// </summary>
    public IReadOnlyList<(string Algorithm, string SameAs)> Identical()
    {
        var pairs = new List<(string, string)>();
        for (var i = 1; i < Results.Count; i++)
        {
            var earlier = Results.Take(i).FirstOrDefault(e => SameMetrics(e, Results[i]));
            if (earlier is not null) pairs.Add((Results[i].Algorithm, earlier.Algorithm));
        }
        return pairs;
    }

    /// <summary>
    /// The sentences telling a reader which algorithms repeat another's results, one per pair (empty when none do); the console
    /// and the report say the same.
    /// </summary>
    /// <param name="charts">Where the hidden lines are, e.g. "the report's charts".</param>
    public IEnumerable<string> IdenticalNotes(string charts) =>
        Identical().Select(p => $"{p.Algorithm} gives exactly {p.SameAs}'s results in every metric: its lines in {charts} lie on {p.SameAs}'s.");

    private static bool SameMetrics(AlgorithmResult a, AlgorithmResult b) =>
        a.Metrics.Count == b.Metrics.Count && a.Metrics.Zip(b.Metrics).All(p => p.First.Key == p.Second.Key && p.First.Value == p.Second.Value);
}
