using Stamen.Experiments;
using Stamen.Simulation.Metrics;
using static Stamen.Reporting.ReportNumber;

namespace Stamen.Reporting.Studies;

/// <summary>
/// `stamen reproduce geo` as a <see cref="Report"/>: the grid's table as the console shows it, then per topology the mean
/// time per token of every algorithm in each setup and each algorithm's reduction against its baseline: the published
/// PETALS for the published reproductions (the paper's comparison), Stamen's PETALS for Stamen's own algorithms. Pure: same cells, same report.
/// </summary>
public static class GeoStudyReportBuilder
{
    private static readonly string[] LongColumns =
        ["scenario", "lambda/s", "l_max", "fixed delays", "algorithm", "s/token", "first token s", "s/token after 1st", "baseline", "reduction vs baseline %"];

    /// <param name="cells">The study's cells; every cell compares the same algorithms, the baseline first.</param>
    /// <param name="oneRowPerAlgorithm">The long table (one row per cell and algorithm), as the console prints it for many algorithms.</param>
    /// <param name="command">The command line, to re-run.</param>
    public static Report Build(IReadOnlyList<GeoStudyCell> cells, bool oneRowPerAlgorithm, string command)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count == 0) throw new ArgumentException("the study has no cells", nameof(cells));
        var algorithms = Algorithms(cells);
        var sections = new List<ReportSection>
        {
            new("Time per token by setup",
                "Mean time per token in seconds (95% CI half-width); reduction of each algorithm against its baseline, in %: the published " +
                "PETALS for the published simulator's rules (the paper's comparison), Stamen's PETALS for Stamen's realistic rules.",
                [oneRowPerAlgorithm ? LongTable(cells) : Table(cells)], []),
        };
        sections.AddRange(cells.GroupBy(c => c.Scenario).Select(g => new ReportSection(g.Key, null, [],
            [TimeChart(g.Key, [.. g], algorithms), ReductionChart(g.Key, [.. g], algorithms)])));
        return new Report("reproduce", "Scattered setups: time per token against PETALS", command, Summary(cells, algorithms), sections);
    }

    /// <summary>One row per cell: each algorithm's time per token, then each non-baseline's reduction against its baseline.</summary>
    public static ReportTable Table(IReadOnlyList<GeoStudyCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var algorithms = Algorithms(cells);
        return new ReportTable("Mean time per token per setup",
            [.. SetupColumns(), .. algorithms.Select(a => $"{a} s/token"), .. Compared(cells, algorithms).Select(a => $"{a} vs {cells[0].BaselineOf(a)} %")],
            [.. cells.Select(c => (IReadOnlyList<string>)
            [
                .. SetupCells(c),
                .. algorithms.Select(a => WithCi(c.Results.Results.First(r => r.Algorithm == a).Metric(SwarmMetricNames.MeanTimePerToken))),
                .. Compared(cells, algorithms).Select(a => F(c.ReductionPercent(a), "0.0")),
            ])]);
    }

    /// <summary>One row per cell and algorithm: for many algorithms, where one row per cell would be too wide.</summary>
    public static ReportTable LongTable(IReadOnlyList<GeoStudyCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return new ReportTable("Time per token per setup and algorithm", LongColumns,
            [.. cells.SelectMany(c => c.Results.Results.Select(r => (IReadOnlyList<string>)
            [
                .. SetupCells(c), r.Algorithm, WithCi(r.Metric(SwarmMetricNames.MeanTimePerToken)),
                F(r.Metric(SwarmMetricNames.MeanFirstToken).Mean, "0.00"), F(r.Metric(SwarmMetricNames.MeanPerTokenAfterFirst).Mean, "0.000"),
                c.BaselineOf(r.Algorithm), c.BaselineOf(r.Algorithm) == r.Algorithm ? "-" : F(c.ReductionPercent(r.Algorithm), "0.0"),
            ]))]);
    }

    private static string[] SetupColumns() => ["scenario", "lambda/s", "l_max", "fixed delays"];

    private static string[] SetupCells(GeoStudyCell c) => [c.Scenario, F(c.RatePerSec, "0.##"), I(c.OutputTokens), c.FixedDelays ? "published" : "none"];

    private static string WithCi(MeanWithCi m) => $"{F(m.Mean, "0.000")} ({F(m.HalfWidth95, "0.000")})";

    private static string[] Algorithms(IReadOnlyList<GeoStudyCell> cells) => [.. cells[0].Results.Results.Select(r => r.Algorithm)];

    /// <summary>The algorithms compared with a baseline (every one that is not a baseline itself).</summary>
    private static string[] Compared(IReadOnlyList<GeoStudyCell> cells, string[] algorithms) => [.. algorithms.Where(a => cells[0].BaselineOf(a) != a)];

    private static string[] Baselines(IReadOnlyList<GeoStudyCell> cells, string[] algorithms) => [.. algorithms.Where(a => cells[0].BaselineOf(a) == a)];

    private const string SetupLabel = "setup (λ req/s, l_max tokens, published fixed delays or none)";

    /// <summary>A setup's short name on a chart's category axis: long names are cut there.</summary>
    private static string Setup(GeoStudyCell c) => $"λ {F(c.RatePerSec, "0.##")}, {I(c.OutputTokens)} tok, {(c.FixedDelays ? "delays" : "none")}";

    private static double PerToken(GeoStudyCell c, string algorithm) =>
        c.Results.Results.First(r => r.Algorithm == algorithm).Metric(SwarmMetricNames.MeanTimePerToken).Mean;

    private static List<ReportFact> Summary(IReadOnlyList<GeoStudyCell> cells, string[] algorithms) =>
    [
        new("Topologies", string.Join(", ", cells.Select(c => c.Scenario).Distinct())),
        new("Load lambda", string.Join(", ", cells.Select(c => c.RatePerSec).Distinct().Select(r => F(r, "0.##") + " req/s"))),
        new("Output length l_max", string.Join(", ", cells.Select(c => c.OutputTokens).Distinct().Select(t => I(t) + " tokens"))),
        new("Fixed delays", string.Join(" and ", cells.Select(c => c.FixedDelays).Distinct().Select(d => d ? "published" : "none"))),
        new("Algorithms", string.Join(", ", algorithms)),
        new("Baselines", string.Join(", ", Baselines(cells, algorithms).Select(b =>
            $"{b} ({(cells[0].Results.Results.First(r => r.Algorithm == b).Published ? "published simulator's rules" : "Stamen's rules")})"))),
        new("Runs per setup", string.Join(", ", cells.Select(c => c.Results.Runs).Distinct().Select(r => I(r)))),
    ];

    private static BarChart TimeChart(string scenario, IReadOnlyList<GeoStudyCell> cells, string[] algorithms)
    {
        var winners = cells.Select(c => algorithms.MinBy(a => PerToken(c, a))!).ToArray();
        var best = winners.GroupBy(w => w).OrderByDescending(g => g.Count()).ThenBy(g => Array.IndexOf(algorithms, g.Key)).First();
        var bestMean = cells.Average(c => PerToken(c, best.Key));
        var baselineMean = cells.Average(c => PerToken(c, algorithms[0]));
        var alt = $"On {scenario}, {best.Key} has the lowest mean time per token in {I(best.Count())} of {I(cells.Count)} setups, " +
            $"{F(bestMean, "0.000")} s/token on average";
        alt += best.Key == algorithms[0] ? "." : $" against {F(baselineMean, "0.000")} s/token for {algorithms[0]}.";
        var slowest = cells.MaxBy(c => PerToken(c, algorithms[0]))!;
        alt += $" {algorithms[0]} is slowest with {Setup(slowest)} ({F(PerToken(slowest, algorithms[0]), "0.000")} s/token).";
        return new BarChart($"Time per token per setup: {scenario}", alt, SetupLabel, [.. cells.Select(Setup)], new Axis("mean time per token", "s/token", Min: 0),
            [.. algorithms.Select(a => new BarSeries(a, [.. cells.Select(c => PerToken(c, a))]))]);
    }

    private static BarChart ReductionChart(string scenario, IReadOnlyList<GeoStudyCell> cells, string[] algorithms)
    {
        var baselines = Baselines(cells, algorithms);
        var baseline = string.Join(" / ", baselines);
        var others = Compared(cells, algorithms);
        string alt;
        if (others.Length == 0) alt = $"Only {baseline} ran, so there is nothing to compare against.";
        else
        {
            var ranked = others.Select(a => (Algorithm: a, Mean: cells.Average(c => c.ReductionPercent(a)))).OrderByDescending(x => x.Mean).ToArray();
            var top = ranked[0];
            var reductions = cells.Select(c => c.ReductionPercent(top.Algorithm)).ToArray();
            alt = $"On {scenario}, {top.Algorithm} cuts time per token the most against {cells[0].BaselineOf(top.Algorithm)}, by {F(top.Mean, "0.0")}% on average " +
                $"(from {F(reductions.Min(), "0.0")}% to {F(reductions.Max(), "0.0")}% over the {I(cells.Count)} setups)";
            var with = cells.Where(c => c.FixedDelays).Select(c => c.ReductionPercent(top.Algorithm)).ToArray();
            var without = cells.Where(c => !c.FixedDelays).Select(c => c.ReductionPercent(top.Algorithm)).ToArray();
            if (with.Length > 0 && without.Length > 0)
                alt += $"; {F(with.Average(), "0.0")}% with the published fixed delays, {F(without.Average(), "0.0")}% without";
            alt += ranked.Length > 1 ? $". {ranked[^1].Algorithm} the least, {F(ranked[^1].Mean, "0.0")}%." : ".";
        }
        return new BarChart($"Reduction against {baseline} per setup: {scenario}", alt, SetupLabel, [.. cells.Select(Setup)],
            new Axis($"time per token saved against {baseline}", "%"), [.. others.Select(a => new BarSeries(a, [.. cells.Select(c => c.ReductionPercent(a))]))]);
    }
}
