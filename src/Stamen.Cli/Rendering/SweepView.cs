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

    public static object PlanJson(SweepPlan plan) => new
    {
        sweep = plan.Definition.Name,
        family = plan.Definition.Family,
        cells = plan.Cells.Count,
        items = plan.Items.Count,
        runs = plan.RunCount,
        axes = plan.Definition.Axes.Select(a => new { name = a.Name, paths = a.Paths, values = a.Values.Select(v => v.Label).ToList() }).ToList(),
        cell_list = plan.Cells.Select(c => new
        {
            cell = c.Index,
            id = c.Id,
            @base = c.Base.Label,
            axes = c.Labels,
            scenario = c.ScenarioName,
            algorithms = c.Algorithms,
            runs = c.Runs,
        }).ToList(),
    };

    public static void WriteRun(IAnsiConsole console, SweepPlan plan, SweepRunSummary s)
    {
        var rate = s.Ran > 0 && s.WallSeconds > 0 ? FormattableString.Invariant($" ({s.Ran / s.WallSeconds:0.#} items/s, {s.Ran * (double)plan.RunCount / plan.Items.Count / s.WallSeconds:0.#} runs/s)") : "";
        console.WriteLine(FormattableString.Invariant(
            $"shard {s.Shard}: {s.Items:N0} items, {s.Skipped:N0} already in the store, {s.Ran:N0} run now in {s.WallSeconds:0.0} s{rate}"));
        if (s.Ran > 0) console.Note($"Wrote {s.File}");
    }

    public static object RunJson(SweepPlan plan, SweepRunSummary s) => new
    {
        sweep = plan.Definition.Name,
        shard = s.Shard.ToString(),
        items = s.Items,
        skipped = s.Skipped,
        ran = s.Ran,
        cancelled = s.Cancelled,
        file = s.File,
        timings = new { wall_s = s.WallSeconds },
    };

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

    public static object StatusJson(SweepPlan plan, SweepStoreContents contents, int itemsComplete, string? job, IReadOnlyList<SlurmTaskState>? tasks) =>
        new
        {
            sweep = plan.Definition.Name,
            runs = contents.Rows.Count,
            expected = plan.RunCount,
            items_complete = itemsComplete,
            items = plan.Items.Count,
            files = contents.Files.Select(Path.GetFileName).ToList(),
            duplicates = contents.Duplicates,
            conflicts = contents.Conflicts,
            foreign = contents.Foreign,
            slurm_job = job,
            slurm_tasks = tasks?.Select(t => new { task = t.TaskId, state = t.State }).ToList(),
        };

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
