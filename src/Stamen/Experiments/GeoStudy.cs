using Stamen.Scenarios;
using Stamen.Simulation.Metrics;
using Stamen.Workload;

namespace Stamen.Experiments;

/// <summary>One cell of the published scattered-setup grid: a topology, a load and an output length.</summary>
/// <param name="Scenario">Scenario name (topology).</param>
/// <param name="RatePerSec">lambda.</param>
/// <param name="OutputTokens">l_max.</param>
/// <param name="FixedDelays">Whether the published fixed delays are included.</param>
/// <param name="Results">Every algorithm of the scenario on the cell's seeds.</param>
public sealed record GeoStudyCell(string Scenario, double RatePerSec, int OutputTokens, bool FixedDelays, ComparisonResult Results)
{
    /// <summary>
    /// The algorithm <paramref name="algorithm"/> is compared with: the first published reproduction for a
    /// published reproduction (the paper's comparison), else the first of Stamen's own (its realistic one).
    /// </summary>
    public string BaselineOf(string algorithm)
    {
        var published = Results.Results.First(r => r.Algorithm == algorithm).Published;
        return Results.Results.First(r => r.Published == published).Algorithm;
    }

    /// <summary>Reduction of mean time per token of <paramref name="algorithm"/> against <see cref="BaselineOf"/>, in %.</summary>
    public double ReductionPercent(string algorithm)
    {
        var baseline = Results.Results.First(r => r.Algorithm == BaselineOf(algorithm)).Metric(SwarmMetricNames.MeanTimePerToken).Mean;
        var other = Results.Results.First(r => r.Algorithm == algorithm).Metric(SwarmMetricNames.MeanTimePerToken).Mean;
        return 100 * (baseline - other) / baseline;
    }
}

/// <summary>
/// The published study's grid (reference section 1, setup b): each scattered scenario at every
/// lambda and l_max, with and without the published fixed delays, all algorithms on the same seeds.
/// </summary>
public static class GeoStudy
{
    /// <summary>
    /// Every catalog algorithm that scales to these swarms: the published reproductions first (PETALS
    /// leading, the baseline of their reductions), then Stamen's own, PETALS first (the baseline of
    /// theirs). The MILP-based ones are exact on small instances only.
    /// </summary>
    public static IReadOnlyList<AlgorithmChoice> AllScalableAlgorithms =>
        [.. Algorithms.SwarmAlgorithmCatalog.All.Where(a => !a.SmallInstancesOnly)
            .OrderBy(a => a.FixedDelays == Algorithms.FixedDelaySource.Published ? 0 : 1)
            .ThenBy(a => a.Name is "petals" or "petals-published" ? 0 : 1)
            .Select(a => AlgorithmChoice.Named(a.Name))];

    public static readonly IReadOnlyList<double> PublishedRates = [0.1, 0.5];
    public static readonly IReadOnlyList<int> PublishedOutputTokens = [64, 128];

    /// <param name="scenarios">Scattered scenarios (Poisson workloads).</param>
    /// <param name="rates">lambda values.</param>
    /// <param name="outputTokens">l_max values.</param>
    /// <param name="runs">Monte Carlo runs per cell (null: each scenario's own).</param>
    /// <param name="algorithms">Algorithms to compare instead of each scenario's own list, or null.</param>
    /// <param name="progress">Cells done.</param>
    /// <param name="cancellation">Stops between runs.</param>
    public static IReadOnlyList<GeoStudyCell> Run(IReadOnlyList<ScenarioDefinition> scenarios, IReadOnlyList<double> rates, IReadOnlyList<int> outputTokens,
        int? runs, IReadOnlyList<AlgorithmChoice>? algorithms = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(outputTokens);
        var cells = new List<GeoStudyCell>();
        var total = scenarios.Count * rates.Count * outputTokens.Count * 2;
        progress?.Report(new ExperimentProgress(0, total));
        foreach (var scenario in scenarios)
        {
            if (scenario.Workload is not PoissonWorkloadDefinition poisson)
                throw new StamenInputException(scenario.SourceFile, "workload", "the study varies a Poisson workload's rate and output length", "use `workload: {poisson: ...}`");
            foreach (var rate in rates)
                foreach (var lmax in outputTokens)
                    foreach (var withDelays in new[] { true, false })
                    {
                        var cellDefinition = scenario with
                        {
                            Workload = poisson with { RatePerSec = rate, OutputTokens = new FixedTokenCount(lmax) },
                            Algorithms = algorithms ?? scenario.Algorithms,
                        };
                        var experiment = new SwarmExperiment(ScenarioResolver.Create(cellDefinition, withoutFixedDelays: !withDelays));
                        var result = experiment.Compare(runs ?? scenario.Runs, cancellation: cancellation);
                        cells.Add(new GeoStudyCell(scenario.Name, rate, lmax, withDelays, result));
                        progress?.Report(new ExperimentProgress(cells.Count, total));
                    }
        }
        return cells;
    }
}
