using System.Globalization;
using System.Text;

namespace Stamen.Bench;

/// <summary>Plain-text table of the rows (monospace, pipe-separated so it pastes into Markdown).</summary>
public static class Table
{
    private static readonly string[] Header = ["case", "size", "median ms", "min ms", "reps", "figures", "note"];

    public static string Render(IReadOnlyList<BenchRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var lines = new List<string[]> { Header };
        foreach (var r in rows)
            lines.Add([r.Case, r.Size, Ms(r.MedianMs), Ms(r.MinMs), r.Repetitions.ToString(CultureInfo.InvariantCulture),
                string.Join(", ", r.Figures.Select(f => $"{f.Key} {Num(f.Value)}")), r.Note]);
        var widths = Enumerable.Range(0, lines[0].Length).Select(c => lines.Max(l => l[c].Length)).ToArray();
        var text = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            text.Append("| ").AppendJoin(" | ", lines[i].Select((cell, c) => cell.PadRight(widths[c]))).AppendLine(" |");
            if (i == 0) text.Append('|').AppendJoin('|', widths.Select(w => new string('-', w + 2))).AppendLine("|");
        }
        return text.ToString();
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms.ToString(ms < 10 ? "F3" : "F1", CultureInfo.InvariantCulture);

    private static string Num(double v) =>
        double.IsNaN(v) ? "NaN"
        : Math.Abs(v) >= 1e4 ? v.ToString("N0", CultureInfo.InvariantCulture)
        : v == Math.Round(v) ? v.ToString("F0", CultureInfo.InvariantCulture)
        : v.ToString("G4", CultureInfo.InvariantCulture);
}
