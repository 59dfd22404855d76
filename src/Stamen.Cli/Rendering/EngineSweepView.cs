using System.Globalization;
using System.Text;
using Spectre.Console;
using Stamen.Experiments;

namespace Stamen.Cli.Rendering;

/// <summary>The rate sweep: throughput per policy and rate (marked where the SLO fails), and each policy's capacity at the SLO.</summary>
internal static class EngineSweepView
{
    public static Table Table(IReadOnlyList<EngineSweepRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("tokens/s at each rate (x = SLO missed)");
        table.AddColumn(new TableColumn("policy").NoWrap());
        foreach (var p in rows[0].Points)
            table.AddColumn(new TableColumn(Markup.Escape(Factor(p.RateFactor) + $" ({p.OfferedRequestsPerSec.ToString("0.###", CultureInfo.InvariantCulture)} req/s)")).RightAligned().NoWrap());
        table.AddColumn(new TableColumn("capacity at SLO").RightAligned().NoWrap());
        foreach (var row in rows)
        {
            var cells = new List<string> { Markup.Escape(row.Policy) };
            cells.AddRange(row.Points.Select(p => Tokens(p) + (p.MeetsSlo ? "" : " [red]x[/]")));
            cells.Add(Markup.Escape(Capacity(row)));
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    public static string Markdown(IReadOnlyList<EngineSweepRow> rows, EngineSlo slo)
    {
        var b = new StringBuilder();
        b.AppendLine(CultureInfo.InvariantCulture, $"SLO: {slo.Describe()}.");
        b.AppendLine();
        b.AppendLine("| policy | capacity at SLO |");
        b.AppendLine("|---|---|");
        foreach (var row in rows) b.AppendLine(CultureInfo.InvariantCulture, $"| {row.Policy} | {Capacity(row)} |");
        b.AppendLine();
        b.AppendLine("| rate | req/s | policy | tokens/s | p99 TTFT s | mean ITL s | KV waste | preemptions | rejected | SLO |");
        b.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var factor in rows[0].Points.Select(p => p.RateFactor))
            foreach (var row in rows)
            {
                var p = row.Points.First(x => x.RateFactor == factor);
                var m = p.Metrics;
                b.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Factor(factor)} | {p.OfferedRequestsPerSec:0.###} | {row.Policy} | {m.TotalTokensPerSec:0} | {m.TimeToFirstToken.P99Ms / 1000:0.000} | {m.InterTokenLatency.MeanMs / 1000:0.0000} | {100 * m.KvWasteFraction:0.0}% | {m.Preemptions} | {m.Rejected} | {(p.MeetsSlo ? "met" : "missed")} |");
            }
        return b.ToString();
    }

    public static string Capacity(EngineSweepRow row) => row.Capacity is { } c
        ? string.Create(CultureInfo.InvariantCulture, $"{Factor(c.RateFactor)}: {c.OfferedRequestsPerSec:0.###} req/s, {c.Metrics.TotalTokensPerSec:N0} tokens/s")
        : "below the lowest rate";

    private static string Tokens(EngineSweepPoint p) => p.Metrics.TotalTokensPerSec.ToString("N0", CultureInfo.InvariantCulture);

    private static string Factor(double f) => f.ToString("0.##", CultureInfo.InvariantCulture) + "x";
}
