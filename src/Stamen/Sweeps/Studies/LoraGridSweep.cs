using Stamen.Experiments;
using Stamen.Sweeps.Families;

namespace Stamen.Sweeps.Studies;

/// <summary>
/// `stamen reproduce engine-lora` as a sweep (the built-in sweep engine-lora, family lora-grid): its cells read back as
/// the grid's cells, one policy and one run each, so the command's tables come from the sweep's store.
/// </summary>
public static class LoraGridSweep
{
    public const string Name = "engine-lora";

    /// <summary>The grid's cells, in the sweep's order, leaving out those with more slots than adapters (no runs).</summary>
    public static IReadOnlyList<LoraGridCell> Cells(IReadOnlyList<SweepCellSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var cells = new List<LoraGridCell>();
        foreach (var s in summaries)
        {
            if (s.Algorithms.Count == 0) continue;
            var file = LoraGridSweepFamily.Read(s.Cell.ScenarioText, s.Cell.File);
            var a = s.Algorithms[0];
            var values = a.Metrics.Select(m => new KeyValuePair<string, double>(m.Key, m.Value.Mean)).ToList();
            var starts = a.Metric("starts") is { Mean: 1 };
            var capacity = starts ? LoraGridStudy.Capacity(file.Setup, file.Adapters, file.Slots) : null;
            cells.Add(new LoraGridCell(file.Adapters, file.Slots, starts ? (long)a.Metric("kv_capacity_tokens")!.Value.Mean : null,
                starts ? EngineSweepFamily.FromNamed(values) : null, (int)(a.Metric("starved_adapters")?.Mean ?? 0))
            {
                KvSource = capacity?.Source,
                KvFallback = capacity?.MissingCell,
            });
        }
        return cells;
    }
}
