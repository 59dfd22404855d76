using Stamen.Experiments;
using Stamen.Scenarios;
using Stamen.Simulation.Metrics;
using Stamen.Tests.Scenarios;
using Stamen.Workload;

namespace Stamen.Tests.Experiments;

/// <summary>Comparisons are reproducible from their seed, and the geo study's grid is complete and consistent.</summary>
public sealed class ComparisonTests
{
    private static IEnumerable<KeyValuePair<string, MeanWithCi>> Deterministic(AlgorithmResult r) =>
        r.Metrics.Concat(r.PlanFigures); // wall-clock figures live in r.Timings

    [Fact]
    public void Compare_SameSeed_IdenticalMetrics_DifferentSeed_DifferentMetrics()
    {
        var experiment = new SwarmExperiment(ScenarioResolver.Create(ExperimentScenarios.Default(ratePerSec: 1, requests: 60)));
        var a = experiment.Compare(3, baseSeed: 5);
        var b = experiment.Compare(3, baseSeed: 5);
        var c = experiment.Compare(3, baseSeed: 6);
        Assert.Equal(a.Results.Select(r => r.Algorithm), b.Results.Select(r => r.Algorithm));
        for (var k = 0; k < a.Results.Count; k++)
        {
            Assert.Equal(Deterministic(a.Results[k]), Deterministic(b.Results[k]));
            Assert.Equal(3, a.Results[k].Runs);
        }
        Assert.Contains(Enumerable.Range(0, a.Results.Count), k =>
            a.Results[k].Metric(SwarmMetricNames.MeanTimePerToken) != c.Results[k].Metric(SwarmMetricNames.MeanTimePerToken));
    }

    [Fact]
    public void GeoStudy_TinyScattered_EveryCellPresentAndReductionsMatchMetrics()
    {
        var scenario = ScenarioFiles.LoadExample("scattered-abovenet.yaml");
        scenario = scenario with { Workload = ((PoissonWorkloadDefinition)scenario.Workload) with { Requests = 15 } };
        double[] rates = [0.1, 0.5];
        int[] lengths = [64, 128];
        var cells = GeoStudy.Run([scenario], rates, lengths, runs: 2);

        Assert.Equal(8, cells.Count);
        foreach (var rate in rates)
            foreach (var l in lengths)
                foreach (var withDelays in new[] { true, false })
                    Assert.Single(cells, c => c.RatePerSec == rate && c.OutputTokens == l && c.FixedDelays == withDelays);

        foreach (var cell in cells)
        {
            Assert.Equal(scenario.Name, cell.Scenario);
            Assert.Equal(2, cell.Results.Runs);
            Assert.Equal(cell.FixedDelays, cell.Results.FixedDelays);
            // Each side is compared with its own PETALS: the published rules with the published PETALS, Stamen's with Stamen's.
            Assert.Equal(["petals-published", "cg-bp+ws-rr-published", "petals", "cg-bp+ws-rr"], cell.Results.Results.Select(r => r.Algorithm));
            Assert.Equal([true, true, false, false], cell.Results.Results.Select(r => r.Published));
            foreach (var (baseline, other) in new[] { ("petals-published", "cg-bp+ws-rr-published"), ("petals", "cg-bp+ws-rr") })
            {
                var p = cell.Results.Results.Single(r => r.Algorithm == baseline).Metric(SwarmMetricNames.MeanTimePerToken).Mean;
                var w = cell.Results.Results.Single(r => r.Algorithm == other).Metric(SwarmMetricNames.MeanTimePerToken).Mean;
                Assert.Equal(baseline, cell.BaselineOf(other));
                Assert.Equal(100 * (p - w) / p, cell.ReductionPercent(other), 1e-9);
                Assert.Equal(0, cell.ReductionPercent(baseline), 1e-12);
            }
            foreach (var r in cell.Results.Results)
            {
                // Every request has l_max output tokens, so mean total / mean time per token is l_max.
                Assert.Equal(0, r.Metric(SwarmMetricNames.Failed).Mean);
                Assert.Equal(cell.OutputTokens, r.Metric(SwarmMetricNames.MeanTotal).Mean / r.Metric(SwarmMetricNames.MeanTimePerToken).Mean, 1e-6);
                // With the published delays the first token waits at least session start + allocation.
                var firstTokenS = r.Metric(SwarmMetricNames.MeanFirstToken).Mean;
                var allocationS = r.Algorithm.StartsWith("petals", StringComparison.Ordinal) ? 250 : 60;
                if (cell.FixedDelays) Assert.True(firstTokenS >= allocationS + 0.07, $"{r.Algorithm}: first token {firstTokenS} s");
                else Assert.True(firstTokenS < 60, $"{r.Algorithm}: first token {firstTokenS} s without fixed delays");
            }
        }
    }
}
