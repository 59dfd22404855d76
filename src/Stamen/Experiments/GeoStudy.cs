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
    /// <summary>Reduction of mean time per token of <paramref name="algorithm"/> against the first algorithm, in %.</summary>
    public double ReductionPercent(string algorithm)
    {
        var baseline = Results.Results[0].Metric(SwarmMetricNames.MeanTimePerToken).Mean;
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
    public static readonly IReadOnlyList<double> PublishedRates = [0.1, 0.5];
    public static readonly IReadOnlyList<int> PublishedOutputTokens = [64, 128];

    public static IReadOnlyList<GeoStudyCell> Run(IReadOnlyList<ScenarioDefinition> scenarios, IReadOnlyList<double> rates, IReadOnlyList<int> outputTokens,
        int? runs, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellation = default)
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
                        var cellDefinition = scenario with { Workload = poisson with { RatePerSec = rate, OutputTokens = new FixedTokenCount(lmax) } };
                        var experiment = new SwarmExperiment(ScenarioResolver.Create(cellDefinition, withoutFixedDelays: !withDelays));
                        var result = experiment.Compare(runs ?? scenario.Runs, cancellation: cancellation);
                        cells.Add(new GeoStudyCell(scenario.Name, rate, lmax, withDelays, result));
                        progress?.Report(new ExperimentProgress(cells.Count, total));
                    }
        }
        return cells;
    }
}
