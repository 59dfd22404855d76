using System.Globalization;
using System.Text;
using Spectre.Console;
using Stamen.Reporting;
using Stamen.Sweeps;
using Stamen.Sweeps.Executors;

namespace Stamen.Cli.Rendering;

/// <summary>What the sweep commands print: the plan, a run's outcome, a store's status, a results table.</summary>
internal static class SweepView
{
    public static void WritePlan(IAnsiConsole console, SweepPlan plan, int maxRows)
    {
        var d = plan.Definition;
        console.Heading($"sweep {d.Name} ({d.Family}, {d.File})");
        if (d.Bases.Count > 1) console.Note($"  base ({d.Bases.Count}): {string.Join(", ", d.Bases.Select(b => b.Label))}");
        else console.Note($"  base: {d.Bases[0].Label}");
        foreach (var a in d.Axes)
            console.Note($"  {a.Name} ({string.Join(" + ", a.Paths)}): {string.Join(", ", a.Values.Select(v => v.Label))}");
        var algorithms = plan.Cells.SelectMany(c => c.Algorithms).Distinct().ToList();
        console.Note($"  algorithms: {string.Join(", ", algorithms)}");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("cell");
        table.AddColumn("id");
        if (d.Bases.Count > 1) table.AddColumn("base");
        foreach (var a in d.Axes) table.AddColumn(Markup.Escape(a.Name));
        table.AddColumn("scenario");
        table.AddColumn(new TableColumn("runs").RightAligned());
        foreach (var c in plan.Cells.Take(maxRows))
        {
            var row = new List<string> { I(c.Index), c.Id };
            if (d.Bases.Count > 1) row.Add(Markup.Escape(c.Base.Label));
            row.AddRange(c.Labels.Select(Markup.Escape));
            row.Add(Markup.Escape(c.ScenarioName));
            row.Add(I(c.Runs));
            table.AddRow([.. row]);
        }
        console.Write(table);
        if (plan.Cells.Count > maxRows) console.Note($"... and {plan.Cells.Count - maxRows:N0} more cells (--all lists them)");
        var runs = plan.Cells.Select(c => c.Runs).Distinct().ToList();
        console.WriteLine(FormattableString.Invariant(
            $"{plan.Cells.Count:N0} cells x {algorithms.Count} algorithms x {(runs.Count == 1 ? I(runs[0]) : "varying")} runs = {plan.RunCount:N0} runs ({plan.Items.Count:N0} items: one run of every algorithm of a cell)"));
    }

    public static SweepPlanJson PlanJson(SweepPlan plan) => new(plan.Definition.Name, plan.Definition.Family, plan.Cells.Count, plan.Items.Count, plan.RunCount,
        [.. plan.Definition.Axes.Select(a => new SweepAxisJson(a.Name, a.Paths, [.. a.Values.Select(v => v.Label)]))],
        [.. plan.Cells.Select(c => new SweepCellJson(c.Index, c.Id, c.Base.Label, c.Labels, c.ScenarioName, c.Algorithms, c.Runs))]);

    public static void WriteRun(IAnsiConsole console, SweepPlan plan, SweepRunSummary s)
    {
        var rate = s.Ran > 0 && s.WallSeconds > 0 ? FormattableString.Invariant($" ({s.Ran / s.WallSeconds:0.#} items/s, {s.Ran * (double)plan.RunCount / plan.Items.Count / s.WallSeconds:0.#} runs/s)") : "";
        console.WriteLine(FormattableString.Invariant(
            $"shard {s.Shard}: {s.Items:N0} items, {s.Skipped:N0} already in the store, {s.Ran:N0} run now in {s.WallSeconds:0.0} s{rate}"));
        if (s.Ran > 0) console.Note($"Wrote {s.File}");
    }

    public static SweepRunJson RunJson(SweepPlan plan, SweepRunSummary s) =>
        new(plan.Definition.Name, s.Shard.ToString(), s.Items, s.Skipped, s.Ran, s.Cancelled, s.File, new SweepRunTimingsJson(s.WallSeconds));

    public static void WriteStatus(IAnsiConsole console, SweepPlan plan, SweepStore store, SweepStoreContents contents, int itemsComplete, string? job,
        IReadOnlyList<SlurmTaskState>? tasks)
    {
        console.WriteLine(FormattableString.Invariant($"{plan.Definition.Name}: {contents.Rows.Count:N0} of {plan.RunCount:N0} runs in {store.Directory} ({contents.Files.Count} file(s))"));
        console.Note(FormattableString.Invariant($"{itemsComplete:N0} of {plan.Items.Count:N0} items complete"));
        if (contents.Duplicates > 0) console.Note(FormattableString.Invariant($"{contents.Duplicates:N0} runs appear in more than one file; {contents.Conflicts:N0} differ"));
        if (contents.Foreign > 0) console.Note(FormattableString.Invariant($"{contents.Foreign:N0} rows belong to no cell of this sweep (an older version of the file?)"));
        if (job is null) return;
        if (tasks is null) console.Note($"Slurm job {job}: squeue is not available here");
        else if (tasks.Count == 0) console.Note($"Slurm job {job}: no task known to the controller (all ended a while ago, or never ran)");
        else console.Note($"Slurm job {job}: " + string.Join(", ", tasks.GroupBy(t => t.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}")));
    }

    public static SweepStatusJson StatusJson(SweepPlan plan, SweepStoreContents contents, int itemsComplete, string? job, IReadOnlyList<SlurmTaskState>? tasks) =>
        new(plan.Definition.Name, contents.Rows.Count, plan.RunCount, itemsComplete, plan.Items.Count, [.. contents.Files.Select(f => Path.GetFileName(f))],
            contents.Duplicates, contents.Conflicts, contents.Foreign, job, tasks?.Select(t => new SlurmTaskJson(t.TaskId, t.State)).ToList());

    public static void WriteTable(IAnsiConsole console, ReportTable report)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in report.Columns) table.AddColumn(new TableColumn(Markup.Escape(c)).NoWrap());
        foreach (var row in report.Rows) table.AddRow([.. row.Select(Markup.Escape)]);
        console.Write(table);
    }

    public static string Markdown(ReportTable table)
    {
        var b = new StringBuilder();
        b.AppendLine("| " + string.Join(" | ", table.Columns) + " |");
        b.AppendLine("|" + string.Concat(table.Columns.Select(_ => "---|")));
        foreach (var row in table.Rows) b.AppendLine("| " + string.Join(" | ", row) + " |");
        return b.ToString();
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The JSON shape of `stamen sweep plan --json`.</summary>
internal sealed record SweepPlanJson(string Sweep, string Family, int Cells, int Items, long Runs, IReadOnlyList<SweepAxisJson> Axes, IReadOnlyList<SweepCellJson> CellList);

internal sealed record SweepAxisJson(string Name, IReadOnlyList<string> Paths, IReadOnlyList<string> Values);

internal sealed record SweepCellJson(int Cell, string Id, string Base, IReadOnlyList<string> Axes, string Scenario, IReadOnlyList<string> Algorithms, int Runs);

/// <summary>The JSON shape of `stamen sweep run --json`; <see cref="Timings"/> is wall clock.</summary>
internal sealed record SweepRunJson(string Sweep, string Shard, int Items, int Skipped, int Ran, bool Cancelled, string File, SweepRunTimingsJson Timings);

internal sealed record SweepRunTimingsJson(double WallS);

/// <summary>The JSON shape of `stamen sweep status --json`.</summary>
internal sealed record SweepStatusJson(string Sweep, int Runs, long Expected, int ItemsComplete, int Items, IReadOnlyList<string?> Files, int Duplicates, int Conflicts,
    int Foreign, string? SlurmJob, IReadOnlyList<SlurmTaskJson>? SlurmTasks);

internal sealed record SlurmTaskJson(string Task, string State);
