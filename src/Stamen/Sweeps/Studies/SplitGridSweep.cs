using Stamen.Experiments;

namespace Stamen.Sweeps.Studies;

/// <summary>`stamen reproduce split` as a sweep (the built-in sweep split, family split-grid): its cells read back as the grid's.</summary>
public static class SplitGridSweep
{
    public const string Name = "split";

    /// <summary>The grid's cells from a split-grid sweep with the axes model, device, link, sequence_tokens and sla_factor, and all three methods.</summary>
    public static IReadOnlyList<SplitGridCell> Cells(SweepPlan plan, IReadOnlyList<SweepCellSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(summaries);
        var axes = plan.Definition.Axes.Select(a => a.Name).ToList();
        foreach (var needed in new[] { "model", "device", "link", "sequence_tokens", "sla_factor" })
            if (!axes.Contains(needed))
                throw new StamenInputException(plan.Definition.File, "axes", $"the split study needs the axis {needed}", "start from `stamen sweep show split`");
        return [.. summaries.Select(s =>
        {
            string Label(string axis) => s.Cell.Labels[axes.IndexOf(axis)];
            double Of(string method, string metric) =>
                (s.Algorithms.FirstOrDefault(a => a.Algorithm == method) ?? throw new StamenInputException(plan.Definition.File, "algorithms", $"the split study needs {method}", "keep dp, greedy and single-cut"))
                .Metric(metric)!.Value.Mean;
            return new SplitGridCell(Label("model"), Label("device"), Label("link"), int.Parse(Label("sequence_tokens"), System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(Label("sla_factor"), System.Globalization.CultureInfo.InvariantCulture), Of("dp", "sla_ms"), Of("dp", "server_only_work_ms"),
                Of("dp", "server_work_ms"), Of("greedy", "server_work_ms"), Of("single-cut", "server_work_ms"), (int)Of("dp", "switches"));
        })];
    }
}
