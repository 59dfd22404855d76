using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Stamen.Algorithms;
using Stamen.Cli.Rendering;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Placement;
using Stamen.Routing;
using Stamen.Simulation.Engine.Policies;
using Stamen.Simulation.Swarm;

namespace Stamen.Cli.Commands;

/// <summary>`stamen catalog models|gpus|algorithms|placements|routers|admissions|engine-policies|engine-routers|adapter-placers|split-methods|step-times|lora-profiles|milp-solvers`: what a scenario can name.</summary>
internal static class CatalogCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("catalog", "List what a scenario can name: models, GPUs, algorithms and their parts");
        command.Subcommands.Add(Listing(console, "models", "Models with their block size and KV cache per token", Models));
        command.Subcommands.Add(Listing(console, "gpus", "GPU kinds with memory, roofline figures and calibrations", Gpus));
        command.Subcommands.Add(Listing(console, "algorithms", "Swarm algorithms: placement + routing + admission", () =>
            Names(SwarmAlgorithmCatalog.All.Select(a => new NamedEntry(a.Name,
                $"{a.Description} [{a.PartsText}]{(a.FixedDelays == FixedDelaySource.Published ? " (published fixed delays)" : "")}")))));
        command.Subcommands.Add(Listing(console, "placements", "Block placement planners and their options (scenario: placement: {name: NAME, option: value})", () =>
            WithOptions(PlacementCatalog.Planners)));
        command.Subcommands.Add(Listing(console, "routers", "Request routers and their options (scenario: routing: {name: NAME, option: value})", () =>
            WithOptions(RouterCatalog.Routers)));
        command.Subcommands.Add(Listing(console, "admissions", "What a client does when a server's cache is full, and the options (scenario: admission: {name: NAME, option: value})", () =>
            WithOptions(AdmissionCatalog.Policies)));
        command.Subcommands.Add(Listing(console, "engine-policies", "Serving-engine scheduling and KV memory policies and their options (scenario: policies: [{name: NAME, base: POLICY, option: value}])", () =>
            WithOptions(Stamen.Simulation.Engine.Policies.EnginePolicyCatalog.Policies)));
        command.Subcommands.Add(Listing(console, "engine-routers", "Routers in front of a cluster of engines", () =>
            WithOptions(Stamen.Simulation.Engine.EngineRouterCatalog.Routers)));
        command.Subcommands.Add(Listing(console, "adapter-placers", "LoRA adapter placement methods (stamen adapters plan --methods)", () =>
            WithOptions(Stamen.Adapters.Placement.AdapterPlacerCatalog.Placers)));
        command.Subcommands.Add(Listing(console, "split-methods", "Split-inference methods (scenario: methods: [NAME, {name: NAME, option: value}])", () =>
            WithOptions(Stamen.Split.SplitPlannerCatalog.Planners)));
        command.Subcommands.Add(Listing(console, "step-times", "Engine step-time models and presets (scenario: step_time: NAME, or {name: NAME, option: value})", () =>
            WithOptions(Stamen.Simulation.Engine.StepTimeCatalog.Models)));
        command.Subcommands.Add(Listing(console, "milp-solvers", "MILP solvers for the exact planners and studies (docs/milp.md)", () =>
            WithOptions(Stamen.Optimization.Milp.MilpSolverCatalog.Solvers)));
        command.Subcommands.Add(Listing(console, "cluster-placements", "Placements of a heterogeneous cluster for the batching twin (stamen helix simulate --planner NAME; docs/helix.md)", () =>
            WithOptions(Stamen.Helix.ClusterPlacementCatalog.Planners)));
        command.Subcommands.Add(Listing(console, "cluster-schedulers", "Schedulers of the batching cluster twin (stamen helix simulate --scheduler NAME; docs/helix.md)", () =>
            WithOptions(Stamen.Simulation.Cluster.ClusterSchedulerCatalog.Schedulers)));
        command.Subcommands.Add(Listing(console, "sweep-families", "Scenario families a sweep file can vary (sweep file: family: NAME; docs/sweeps.md)", () =>
            WithOptions(Stamen.Sweeps.Families.SweepFamilyCatalog.Families)));
        command.Subcommands.Add(Listing(console, "lora-profiles", "Models with published LoRA serving costs (adapter load time, step overhead, KV by slots)", () =>
            Names(Stamen.Adapters.LoraProfileCatalog.BuiltIn.Names.Select(n => new NamedEntry(n, "vLLM 0.8.5 on an H100 (reference section 4)")))));
        return command;
    }

    internal sealed record NamedEntry(string Name, string Description);

    private static Command Listing(CliConsole console, string name, string description, Func<(Table Table, Action<string> WriteJson)> build)
    {
        var json = CommonOptions.Json();
        var command = new Command(name, description) { json };
        command.SetAction(p => CliRunner.Run(console, () =>
        {
            var (table, writeJson) = build();
            console.Out.Write(table);
            if (p.GetValue(json) is { } path) writeJson(path);
            return 0;
        }));
        return command;
    }

    internal sealed record OptionRow(string Name, string Default, string? Unit, string Allowed, string Description);

    internal sealed record EntryRow(string Name, string Description, string? PresetOf, IReadOnlyList<OptionRow> Options);

    /// <summary>
    /// One row per entry: its description, then one line per option with default, unit and allowed
    /// values. A preset lists only the defaults it changes (its other options are its base's).
    /// </summary>
    private static (Table, Action<string>) WithOptions<T>(Stamen.Options.Catalog<T> catalog)
    {
        var entries = catalog.All.Select(e => new EntryRow(e.Name, e.Description, e.PresetOf,
            e.Options.Select(o => new OptionRow(o.Name, o.Default ?? "auto", o.Unit, o.AllowedText, o.Description)).ToList())).ToList();
        var table = new Table().Border(TableBorder.Rounded).AddColumns("name", "description; options: name = default [[allowed]] (unit)");
        foreach (var e in entries)
        {
            var lines = new List<string> { Markup.Escape(e.Description) };
            if (e.PresetOf is { } parent)
            {
                var baseDefaults = entries.First(x => x.Name == parent).Options.ToDictionary(o => o.Name, o => o.Default);
                var changed = e.Options.Where(o => baseDefaults[o.Name] != o.Default).Select(o => $"{o.Name} = {o.Default}");
                lines.Add($"  [dim]preset of {Markup.Escape(parent)}:[/] {Markup.Escape(string.Join(", ", changed))}");
            }
            else
                lines.AddRange(e.Options.Select(o =>
                    $"  [bold]{Markup.Escape(o.Name)}[/] = {Markup.Escape(o.Default)} [dim][[{Markup.Escape(o.Allowed)}]]{Markup.Escape(o.Unit is null ? "" : $" ({o.Unit})")}[/] {Markup.Escape(o.Description)}"));
            table.AddRow(new Markup(Markup.Escape(e.Name)), new Markup(string.Join("\n", lines)));
        }
        return (table, path => JsonOutput.Write(path, entries));
    }

    private static (Table, Action<string>) Names(IEnumerable<NamedEntry> entries)
    {
        var list = entries.ToList();
        var table = new Table().Border(TableBorder.Rounded).AddColumns("name", "description");
        foreach (var e in list) table.AddRow(Markup.Escape(e.Name), Markup.Escape(e.Description));
        return (table, path => JsonOutput.Write(path, list));
    }

    private static (Table, Action<string>) Models()
    {
        var catalog = ModelCatalog.BuiltIn;
        var models = catalog.Names.Select(catalog.Find).ToList();
        var table = new Table().Border(TableBorder.Rounded).AddColumns("name", "blocks", "d_model", "heads/kv", "bits/param");
        table.AddColumn(new TableColumn("block GB").RightAligned());
        table.AddColumn(new TableColumn("KV KB/token/block").RightAligned());
        foreach (var m in models)
            table.AddRow(m.Name, I(m.NumBlocks), I(m.HiddenSize), $"{I(m.NumHeads)}/{I(m.NumKvHeads)}",
                m.WeightBitsPerParam.ToString("0.##", CultureInfo.InvariantCulture),
                (m.BlockBytes / 1e9).ToString("0.###", CultureInfo.InvariantCulture),
                (m.KvBytesPerTokenPerBlock / 1e3).ToString("0.##", CultureInfo.InvariantCulture));
        List<CatalogModelJson> rows = [.. models.Select(m => new CatalogModelJson(m.Name, m.NumBlocks, m.HiddenSize, m.NumHeads,
            m.NumKvHeads, m.IntermediateSize, m.VocabSize, m.ParamsPerBlock, m.WeightBitsPerParam, m.BlockBytes, m.KvBytesPerTokenPerBlock))];
        return (table, path => JsonOutput.Write(path, rows));
    }

    private static (Table, Action<string>) Gpus()
    {
        var catalog = GpuCatalog.BuiltIn;
        var gpus = catalog.Names.Select(catalog.Find).ToList();
        var table = new Table().Border(TableBorder.Rounded).AddColumns("name");
        table.AddColumn(new TableColumn("memory GB").RightAligned());
        table.AddColumn(new TableColumn("TFLOPS").RightAligned());
        table.AddColumn(new TableColumn("GB/s").RightAligned());
        table.AddColumns("max blocks", "calibrated for");
        foreach (var g in gpus)
            table.AddRow(g.Name, (g.MemoryBytes / 1e9).ToString("0.##", CultureInfo.InvariantCulture), g.PeakTflops.ToString("0.#", CultureInfo.InvariantCulture),
                (g.BandwidthBytesPerSec / 1e9).ToString("0", CultureInfo.InvariantCulture), g.MaxBlocks?.ToString(CultureInfo.InvariantCulture) ?? "-",
                g.Calibrations.Count == 0 ? "- (roofline)" : string.Join(", ", g.Calibrations.Keys));
        List<CatalogGpuJson> rows = [.. gpus.Select(g => new CatalogGpuJson(g.Name, g.MemoryBytes, g.PeakTflops, g.BandwidthBytesPerSec,
            g.MaxBlocks, g.Calibrations.ToDictionary(c => c.Key, c => new CatalogCalibrationJson(c.Value.DecodeMsPerBlock, c.Value.PrefillMsPerToken,
                c.Value.PrefillFixedMs))))];
        return (table, path => JsonOutput.Write(path, rows));
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}

internal sealed record CatalogModelJson(string Name, int NumBlocks, int HiddenSize, int NumHeads, int NumKvHeads, int IntermediateSize, int VocabSize,
    long ParamsPerBlock, double WeightBitsPerParam, double BlockBytes, double KvBytesPerTokenPerBlock);

internal sealed record CatalogGpuJson(string Name, double MemoryBytes, double PeakTflops, double BandwidthBytesPerSec, int? MaxBlocks,
    Dictionary<string, CatalogCalibrationJson> Calibrations);

internal sealed record CatalogCalibrationJson(double DecodeMsPerBlock, double PrefillMsPerToken, double PrefillFixedMs);
