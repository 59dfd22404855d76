using Spectre.Console;
using Stamen.Experiments;
using Stamen.Reporting.Swarm;
using Stamen.Simulation.Metrics;
using static Stamen.Cli.Rendering.ConsoleOut;

namespace Stamen.Cli.Rendering;

/// <summary>The comparison table: one row per algorithm, means with 95% confidence half-widths.</summary>
internal static class ComparisonView
{
    public static void Write(IAnsiConsole console, ComparisonResult result)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{Markup.Escape(result.Scenario)}: {result.Runs} runs, seed {result.Seed}{(result.FixedDelays ? ", with fixed delays" : "")}");
        table.AddColumn(new TableColumn("algorithm").NoWrap());
        foreach (var column in ComparisonColumns.All)
            table.AddColumn(new TableColumn(column.Header).RightAligned().NoWrap());
        table.AddColumn(new TableColumn("plan ms").RightAligned().NoWrap());
        foreach (var r in result.Results)
        {
            table.AddRow([Markup.Escape(r.Algorithm), .. ComparisonColumns.All.Select(c => c.Cell(r, WithCi)),
                F(r.Timings.First(f => f.Key == MetricNames.PlanningMs).Value.Mean, "0.0")]);
        }
        console.Write(table);
        if (result.Results.Count > 1)
        {
            var baseline = result.Results[0];
            var b = baseline.Metric(SwarmMetricNames.MeanTimePerToken).Mean;
            foreach (var r in result.Results.Skip(1))
            {
                var v = r.Metric(SwarmMetricNames.MeanTimePerToken).Mean;
                var change = 100 * (b - v) / b;
                console.Note($"{r.Algorithm}: mean time per token {F(Math.Abs(change), "0.0")}% {(change >= 0 ? "lower" : "higher")} than {baseline.Algorithm}");
            }
        }
        foreach (var note in result.IdenticalNotes("the report's charts")) console.Note(note);
        console.Note("Times include waits for cache space; ± is the 95% confidence half-width over runs.");
    }

    private static string WithCi(MeanWithCi m, string format) =>
        m.Runs > 1 && m.HalfWidth95 > 0 ? $"{F(m.Mean, format)} [grey]±{F(m.HalfWidth95, format)}[/]" : F(m.Mean, format);
}
