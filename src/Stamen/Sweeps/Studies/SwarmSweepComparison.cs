using Stamen.Experiments;
using Stamen.Scenarios;
using Stamen.Simulation.Metrics;
using Stamen.Sweeps.Families;

namespace Stamen.Sweeps.Studies;

/// <summary>A swarm cell's summaries as the comparison `stamen compare` prints (what the geo study's tables read).</summary>
public static class SwarmSweepComparison
{
    public static ComparisonResult Of(SweepCellSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var cell = summary.Cell;
        var resolver = ScenarioResolver.Create(ScenarioParser.ParseText(cell.ScenarioText, cell.File, cell.Base.BaseDirectory));
        var results = new List<AlgorithmResult>();
        foreach (var s in summary.Algorithms)
        {
            var alg = resolver.Algorithms.First(a => a.Name == s.Algorithm);
            var metrics = s.Metrics.Where(m => !m.Key.StartsWith(SwarmSweepFamily.PlanFigurePrefix, StringComparison.Ordinal)).ToList();
            var figures = s.Metrics.Where(m => m.Key.StartsWith(SwarmSweepFamily.PlanFigurePrefix, StringComparison.Ordinal))
                .Select(m => new KeyValuePair<string, MeanWithCi>(m.Key[SwarmSweepFamily.PlanFigurePrefix.Length..], m.Value)).ToList();
            results.Add(new AlgorithmResult(alg.Name, alg.Parts.Placement.ToString(), alg.Parts.Routing.ToString(), alg.Parts.Admission.ToString(), s.Runs, metrics, figures)
            {
                Published = alg.Parts.FixedDelays == Algorithms.FixedDelaySource.Published,
                Timings = [.. s.TimingsMs.Where(t => t.Key != "run_ms")],
            });
        }
        return new ComparisonResult(resolver.Definition.Name, cell.Runs, resolver.Definition.Seed, resolver.Algorithms.Any(a => a.FixedDelayMs > 0), results);
    }
}
