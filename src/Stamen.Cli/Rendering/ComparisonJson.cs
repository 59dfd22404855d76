using Stamen.Experiments;

namespace Stamen.Cli.Rendering;

/// <summary>
/// The JSON shape of a comparison: metrics as plain numbers (means) with CIs beside them; <c>published</c>
/// marks an algorithm that reproduces the published simulator's rules; <c>timings</c> holds the wall-clock
/// figures (planning, a solver's time), the only part that differs between two runs with the same seed.
/// </summary>
internal sealed record ComparisonJson(string Scenario, int Runs, int Seed, bool FixedDelays, IReadOnlyList<AlgorithmJson> Results)
{
    public static ComparisonJson From(ComparisonResult r) => new(r.Scenario, r.Runs, r.Seed, r.FixedDelays,
        r.Results.Select(a => new AlgorithmJson(a.Algorithm, a.Placement, a.Routing, a.Admission, a.Published, a.Runs,
            a.Metrics.ToDictionary(m => m.Key, m => m.Value.Mean),
            a.Metrics.ToDictionary(m => m.Key, m => m.Value.HalfWidth95),
            a.PlanFigures.ToDictionary(m => m.Key, m => m.Value.Mean),
            a.Timings.ToDictionary(m => m.Key, m => m.Value.Mean))).ToList());
}

internal sealed record AlgorithmJson(
    string Algorithm,
    string Placement,
    string Routing,
    string Admission,
    bool Published,
    int Runs,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, double> MetricsCi95,
    IReadOnlyDictionary<string, double> Plan,
    IReadOnlyDictionary<string, double> Timings);
