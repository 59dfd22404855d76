using System.Globalization;
using System.Text;
using Spectre.Console;
using Stamen.Experiments;

namespace Stamen.Cli.Rendering;

/// <summary>The multi-LoRA grid: served adapters down, slots across, throughput in each cell (starvation marked).</summary>
internal static class LoraGridView
{
    public static Table Table(IReadOnlyList<LoraGridCell> cells)
    {
        var slots = cells.Select(c => c.Slots).Distinct().Order().ToArray();
        var table = new Table().Border(TableBorder.Rounded).Title("tokens/s by served adapters (rows) and max_loras slots (columns)");
        table.AddColumn("adapters");
        foreach (var s in slots) table.AddColumn(new TableColumn(s.ToString(CultureInfo.InvariantCulture) + " slots").RightAligned().NoWrap());
        foreach (var group in cells.GroupBy(c => c.Adapters).OrderBy(g => g.Key))
        {
            var row = new List<string> { group.Key.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(slots.Select(s => group.FirstOrDefault(c => c.Slots == s) is { } c ? Markup.Escape(Cell(c)) : ""));
            table.AddRow(row.ToArray());
        }
        return table;
    }

    public static string Markdown(IReadOnlyList<LoraGridCell> cells)
    {
        var slots = cells.Select(c => c.Slots).Distinct().Order().ToArray();
        var b = new StringBuilder();
        b.AppendLine("| adapters | " + string.Join(" | ", slots.Select(s => s.ToString(CultureInfo.InvariantCulture) + " slots")) + " |");
        b.AppendLine("|---:|" + string.Concat(slots.Select(_ => "---:|")));
        foreach (var group in cells.GroupBy(c => c.Adapters).OrderBy(g => g.Key))
            b.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key} | {string.Join(" | ", slots.Select(s => group.FirstOrDefault(c => c.Slots == s) is { } c ? Cell(c) : ""))} |");
        b.AppendLine();
        b.AppendLine("| adapters | slots | KV tokens | tokens/s | offered tokens/s | mean TTFT s | mean ITL s | adapter loads | starved adapters |");
        b.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in cells.OrderBy(c => c.Adapters).ThenBy(c => c.Slots))
        {
            if (c.Metrics is not { } m)
            {
                b.AppendLine(CultureInfo.InvariantCulture, $"| {c.Adapters} | {c.Slots} | fails to start | | | | | | |");
                continue;
            }
            b.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Adapters} | {c.Slots} | {c.KvCapacityTokens:N0} | {m.TotalTokensPerSec:N0} | {m.Starvation.OfferedTokensPerSec:N0} | {m.TimeToFirstToken.MeanMs / 1000:0.00} | {m.InterTokenLatency.MeanMs / 1000:0.0000} | {m.AdapterLoads} | {c.StarvedAdapters} |");
        }
        return b.ToString();
    }

    private static string Cell(LoraGridCell c) => c.Metrics is not { } m
        ? "fails to start"
        : m.TotalTokensPerSec.ToString("N0", CultureInfo.InvariantCulture) + (m.Starvation.Starved ? " (starved)" : "");
}
