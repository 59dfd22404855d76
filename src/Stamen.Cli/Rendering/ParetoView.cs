using System.Globalization;
using Spectre.Console;
using Stamen.Experiments;
using static Stamen.Cli.Rendering.ConsoleOut;

namespace Stamen.Cli.Rendering;

/// <summary>A Pareto front as a table, lowest latency first, with the knee and the weighted choice marked.</summary>
internal static class ParetoView
{
    public static void Write(IAnsiConsole console, ParetoReport report)
    {
        console.Heading($"{report.Algorithm}: latency / free-capacity front for client {report.Client} (run {report.Run}, l_in {report.PromptTokens}, l_max {report.OutputTokens}, empty swarm)");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("#").RightAligned());
        table.AddColumn(new TableColumn("ms/token").RightAligned());
        table.AddColumn(new TableColumn("free sessions").RightAligned());
        table.AddColumn(new TableColumn("hops").RightAligned());
        table.AddColumns("servers", "blocks", "choice");
        for (var i = 0; i < report.Front.Count; i++)
        {
            var p = report.Front[i];
            var marks = new List<string>();
            if (i == report.Knee) marks.Add("knee");
            if (i == report.Weighted) marks.Add($"weight {report.Weight.ToString("0.##", CultureInfo.InvariantCulture)}");
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), F(p.PerTokenLatencyMs, "0.0"), F(p.BottleneckFreeSessions, "0.00"),
                p.Hops.ToString(CultureInfo.InvariantCulture), Markup.Escape(string.Join(" -> ", p.Servers)), Markup.Escape(p.Blocks),
                string.Join(", ", marks));
        }
        console.Write(table);
        console.Note("ms/token: sum over hops of RTT + tau k; free sessions: the chain's bottleneck, free cache / the session's need there.");
    }
}
