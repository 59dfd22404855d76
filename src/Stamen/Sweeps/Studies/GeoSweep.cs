using Stamen.Experiments;
using Stamen.Sweeps.Families;

namespace Stamen.Sweeps.Studies;

/// <summary>
/// `stamen reproduce geo` as a sweep (examples/sweeps/geo.yaml): its cells read back as the study's cells, so the
/// command's tables come from the same store any sweep writes.
/// </summary>
public static class GeoSweep
{
    public const string File = "sweeps/geo.yaml";

    /// <summary>The study's cells from a geo-shaped sweep: axes rate_per_s and l_max, and fixed_delays where it has one (else the base's).</summary>
    public static IReadOnlyList<GeoStudyCell> Cells(SweepPlan plan, IReadOnlyList<SweepCellSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(summaries);
        var d = plan.Definition;
        if (d.Family != "swarm") throw new StamenInputException(d.File, "family", "the geo study is a swarm sweep", "use family: swarm");
        int Axis(string name) => d.Axes.ToList().FindIndex(a => a.Name == name);
        var rate = Axis("rate_per_s");
        var lmax = Axis("l_max");
        var delays = Axis("fixed_delays");
        if (rate < 0 || lmax < 0)
            throw new StamenInputException(d.File, "axes", "the geo study needs the axes rate_per_s and l_max", "start from examples/sweeps/geo.yaml");
        return [.. summaries.Select(s =>
        {
            var comparison = SwarmSweepComparison.Of(s);
            var withDelays = delays >= 0 ? s.Cell.Labels[delays] == "published" : comparison.FixedDelays;
            return new GeoStudyCell(comparison.Scenario, d.Axes[rate].Values.First(v => v.Label == s.Cell.Labels[rate]).Number!.Value,
                (int)d.Axes[lmax].Values.First(v => v.Label == s.Cell.Labels[lmax]).Number!.Value, withDelays, comparison);
        })];
    }
}
