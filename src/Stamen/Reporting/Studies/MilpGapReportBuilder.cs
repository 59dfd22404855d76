using Stamen.Experiments;
using Stamen.Optimization.Milp;
using static Stamen.Reporting.ReportNumber;

namespace Stamen.Reporting.Studies;

/// <summary>
/// `stamen reproduce milp-gap` as a <see cref="Report"/>: each heuristic's gap to the exact MILP optimum (mean and
/// largest), its objective against the optimum instance by instance (on or above the y = x line, by construction), and
/// how often its plan cannot serve the instance at all. Pure: same study, same report.
/// </summary>
public static class MilpGapReportBuilder
{
    private static readonly string[] Columns =
        ["algorithm", "compared", "mean gap %", "max gap %", "routes overflow memory", "cannot carry R", "own pool overflows", "no plan"];

    public static Report Build(MilpGapReport study, string command)
    {
        ArgumentNullException.ThrowIfNull(study);
        var sections = new List<ReportSection>
        {
            new("Gap to the MILP optimum",
                "Gap: (heuristic - MILP) / MILP of the sum over sessions of per-token time, where the heuristic's shortest-path routes fit memory.",
                [Table(study)], [GapChart(study), ObjectiveChart(study)]),
            new("Instances a heuristic's plan cannot serve",
                "Routes overflow memory: its shortest-path routes break the MILP's memory rule; cannot carry R: no routing carries the R sessions on its " +
                "placement; own pool overflows: the routes overflow its own cache pools; no plan: it cannot place the model.",
                [], [InfeasibleChart(study)]),
            new("Instances", null, [InstanceTable(study)], []),
        };
        return new Report("reproduce", "Scaling heuristics against the exact MILP", command, Summary(study), sections)
        {
            Timings = new ReportTable("MILP solve time per instance", ["instance", "solve ms"],
                [.. study.Instances.Select(i => (IReadOnlyList<string>)[I(i.Index), F(i.Milp.SolveTimeMs, "0")])]),
        };
    }

    /// <summary>One row per heuristic, as the console prints it.</summary>
    public static ReportTable Table(MilpGapReport study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return new ReportTable("Gap to the MILP optimum per heuristic", Columns, [.. study.Summaries.Select(s => (IReadOnlyList<string>)
        [
            s.Algorithm, $"{I(s.Compared)}/{I(study.Instances.Count)}", F(s.MeanGapPercent, "0.0"), F(s.MaxGapPercent, "0.0"),
            I(s.RoutesOverflow), I(s.CannotCarry), I(s.OwnPoolOverflow), I(s.NoPlan),
        ])]);
    }

    private static List<ReportFact> Summary(MilpGapReport study)
    {
        return
        [
            new("Instances", $"{I(study.Instances.Count)} (3-5 servers, L 6/8/12 blocks, 1-2 clients), seed {I(study.Seed)}"),
            new("Sessions R", $"{I(study.Instances.Min(i => i.Sessions))}-{I(study.Instances.Max(i => i.Sessions))}, CG-BP's sizing"),
            new("Typical request", $"{I(study.Typical.PromptTokens)} prompt + {I(study.Typical.OutputTokens)} output tokens"),
            new("MILP", $"proven optimal on {I(study.MilpOptimalCount)} of {I(study.Instances.Count)} within {F(study.TimeLimitSeconds, "0.##")} s " +
                "(solve times under Timings)"),
            new("Heuristics", string.Join(", ", study.Summaries.Select(s => s.Algorithm))),
        ];
    }

    private static BarChart GapChart(MilpGapReport study)
    {
        var compared = study.Summaries.Where(s => s.Compared > 0).ToArray();
        string alt;
        if (compared.Length == 0) alt = "No heuristic's routes fit memory on an instance the MILP solved, so no gap is measured.";
        else
        {
            var best = compared.MinBy(s => s.MeanGapPercent)!;
            var worst = compared.MaxBy(s => s.MeanGapPercent)!;
            alt = $"{best.Algorithm} comes closest to the optimum, {F(best.MeanGapPercent, "0.0")}% above it on average over the {I(best.Compared)} " +
                $"instances it can be compared on (at most {F(best.MaxGapPercent, "0.0")}%)";
            alt += worst == best ? "." : $"; {worst.Algorithm} is farthest, {F(worst.MeanGapPercent, "0.0")}% on average (at most {F(worst.MaxGapPercent, "0.0")}%).";
        }
        return new BarChart("Gap to the MILP optimum per heuristic", alt, "heuristic", [.. study.Summaries.Select(s => s.Algorithm)],
            new Axis("gap to the optimum", "%", Min: 0),
            [new BarSeries("mean gap", [.. study.Summaries.Select(s => s.MeanGapPercent)]), new BarSeries("max gap", [.. study.Summaries.Select(s => s.MaxGapPercent)])]);
    }

    /// <summary>Per heuristic, its objective against the MILP's on each instance where its routes fit memory.</summary>
    private static ScatterChart ObjectiveChart(MilpGapReport study)
    {
        var solved = study.Instances.Where(i => i.Milp.Status is MilpStatus.Optimal or MilpStatus.Feasible).ToArray();
        var series = study.Summaries.Select(s =>
        {
            var points = solved.Select(i => (Milp: i.Milp.ObjectiveMs, Entry: i.Heuristics.First(e => e.Algorithm == s.Algorithm)))
                .Where(x => x.Entry.RoutesFitMemory).ToArray();
            return new PointSeries(s.Algorithm, [.. points.Select(p => p.Milp)], [.. points.Select(p => p.Entry.ObjectiveMs)]);
        }).ToArray();
        var exact = study.Summaries.Select(s => (s.Algorithm, Hits: solved.Count(i => i.Heuristics.First(e => e.Algorithm == s.Algorithm) is { RoutesFitMemory: true } e
            && e.GapPercent(i.Milp.ObjectiveMs) < 0.05))).MaxBy(x => x.Hits);
        var below = series.Sum(p => p.X.Zip(p.Y).Count(xy => xy.Second < xy.First * (1 - 1e-9)));
        var alt = below == 0
            ? $"Every point lies on or above the y = x line: the MILP optimum bounds each heuristic's objective on the {I(solved.Length)} solved instances. "
            : $"{I(below)} points lie below the y = x line, where the MILP stopped at its time limit short of the optimum. ";
        alt += exact.Hits > 0
            ? $"{exact.Algorithm} matches the optimum (within 0.05%) most often, on {I(exact.Hits)} instances."
            : "No heuristic matches the optimum on any instance.";
        return new ScatterChart("Heuristic objective against the MILP optimum", alt, new Axis("MILP optimum", "ms per token, summed over sessions"),
            new Axis("heuristic objective", "ms per token, summed over sessions"), series, Diagonal: true);
    }

    private static BarChart InfeasibleChart(MilpGapReport study)
    {
        var s = study.Summaries;
        var failing = s.Where(x => x.RoutesOverflow > 0).ToArray();
        var alt = failing.Length == 0
            ? $"Every heuristic's routes fit memory on all {I(study.Instances.Count)} instances."
            : $"{Names([.. failing.Select(x => x.Algorithm)])} route beyond memory on some instances (at most {I(failing.Max(x => x.RoutesOverflow))} of " +
              $"{I(study.Instances.Count)}, {failing.MaxBy(x => x.RoutesOverflow)!.Algorithm}); " +
              (s.Where(x => x.RoutesOverflow == 0).Select(x => x.Algorithm).ToArray() is { Length: > 0 } clean ? $"{Names(clean)} on none." : "none fits on every instance.");
        var noPlan = s.Where(x => x.NoPlan > 0).ToArray();
        if (noPlan.Length > 0) alt += $" {Names([.. noPlan.Select(x => x.Algorithm)])} cannot place the model at all on some.";
        return new BarChart("Instances each heuristic's plan cannot serve", alt, "heuristic", [.. s.Select(x => x.Algorithm)], new Axis("instances", "instances", Min: 0),
        [
            new BarSeries("routes overflow memory", [.. s.Select(x => (double)x.RoutesOverflow)]),
            new BarSeries("cannot carry R", [.. s.Select(x => (double)x.CannotCarry)]),
            new BarSeries("own pool overflows", [.. s.Select(x => (double)x.OwnPoolOverflow)]),
            new BarSeries("no plan", [.. s.Select(x => (double)x.NoPlan)]),
        ]);
    }

    /// <summary>One row per instance: its size, the MILP's answer and each heuristic's gap ("-" where its routes overflow memory).</summary>
    private static ReportTable InstanceTable(MilpGapReport study) =>
        new("Instances: size, MILP and each heuristic's gap %",
            ["instance", "servers", "clients", "blocks", "R", "MILP status", "MILP ms", .. study.Summaries.Select(s => s.Algorithm)],
            [.. study.Instances.Select(i => (IReadOnlyList<string>)
            [
                I(i.Index), I(i.Servers), I(i.Clients), I(i.Blocks), I(i.Sessions), i.Milp.Status.ToString().ToLowerInvariant(),
                F(i.Milp.ObjectiveMs, "0.00"),
                .. study.Summaries.Select(s => F(i.Heuristics.First(e => e.Algorithm == s.Algorithm).GapPercent(i.Milp.ObjectiveMs), "0.0")),
            ])]);
}
