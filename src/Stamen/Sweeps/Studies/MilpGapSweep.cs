using Stamen.Experiments;
using Stamen.Sweeps.Families;

namespace Stamen.Sweeps.Studies;

/// <summary>`stamen reproduce milp-gap` as a sweep (the built-in sweep milp-gap, family milp-gap): its runs read back as the study's instances.</summary>
public static class MilpGapSweep
{
    public const string Name = "milp-gap";

    /// <summary>
    /// The study's report from the store's rows of a one-cell milp-gap sweep that kept every row: instance r from run r,
    /// its heuristics in the cell's order, the MILP from its row and detail.
    /// </summary>
    public static MilpGapReport Report(SweepPlan plan, IReadOnlyList<SweepRecord> rows, int seed, double timeLimitSeconds)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);
        if (plan.Cells.Count != 1)
            throw new StamenInputException(plan.Definition.File, "axes", "the milp-gap study reads one cell", "run a sweep with no axes, as `stamen sweep show milp-gap`");
        var instances = new List<MilpGapInstance>();
        foreach (var run in rows.GroupBy(r => r.Run).OrderBy(g => g.Key))
        {
            var milpRow = run.FirstOrDefault(r => r.Algorithm == MilpGapSweepFamily.Milp)
                ?? throw new StamenInputException(plan.Definition.File, "algorithms", "the study needs the milp row", "keep milp among the algorithms");
            double Of(SweepRecord r, string metric) => r.Metrics.First(m => m.Key == metric).Value;
            var solveMs = SweepRunMetrics.Value(milpRow.TimingsMs, "solve_ms");
            var milp = MilpGapSweepFamily.ReadMilp(milpRow.Metrics, milpRow.Detail, solveMs);
            var entries = run.Where(r => r.Algorithm != MilpGapSweepFamily.Milp).Select(r => Of(r, "planned") == 1
                ? new MilpGapEntry(r.Algorithm, Of(r, "objective_ms"), Of(r, "routes_fit_memory") == 1, Of(r, "own_pool_holds") == 1, Of(r, "can_carry_sessions") == 1)
                : MilpGapEntry.NoPlan(r.Algorithm)).ToList();
            instances.Add(new MilpGapInstance(run.Key, (int)Of(milpRow, "servers"), (int)Of(milpRow, "clients"), (int)Of(milpRow, "blocks"),
                (int)Of(milpRow, "sessions"), Of(milpRow, "rate_per_s"), milp, entries));
        }
        return new MilpGapReport(seed, MilpGapStudy.Typical, timeLimitSeconds, instances, MilpGapStudy.Summarize(instances));
    }
}
