using Spectre.Console;
using Stamen.Experiments;
using static Stamen.Cli.Rendering.ConsoleOut;

namespace Stamen.Cli.Rendering;

/// <summary>Memory use per server in one run: weights, peak and time-averaged totals against the limit.</summary>
internal static class ServerMemoryView
{
    public static void Write(IAnsiConsole console, SimulatedRun run)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"Memory per server, run {run.Planned.Run.Run}");
        table.AddColumns("server", "blocks");
        table.AddColumn(new TableColumn("weights GB").RightAligned());
        table.AddColumn(new TableColumn("peak GB").RightAligned());
        table.AddColumn(new TableColumn("mean GB").RightAligned());
        table.AddColumn(new TableColumn("limit GB").RightAligned());
        table.AddColumn(new TableColumn("peak %").RightAligned());
        var swarm = run.Planned.Run.Swarm;
        foreach (var m in run.Twin.Servers)
        {
            var span = run.Planned.Plan.Placement.Spans[m.Server];
            table.AddRow(Markup.Escape(swarm.Servers[m.Server].Name), span.IsEmpty ? "idle" : $"[[{span.Start}, {span.End})",
                F(m.WeightBytes / 1e9, "0.00"), F(m.PeakMemoryBytes / 1e9, "0.00"), F(m.MeanMemoryBytes / 1e9, "0.00"),
                F(m.MemoryLimitBytes / 1e9, "0.00"), F(100 * m.PeakMemoryBytes / m.MemoryLimitBytes, "0.0"));
        }
        console.Write(table);
    }
}
