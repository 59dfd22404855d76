using System.Diagnostics;
using Stamen.Experiments;
using Stamen.Scenarios;

namespace Stamen.Sweeps.Families;

/// <summary>
/// One request type of the split grid (`stamen reproduce split`) as a file: a model, a client device, a link, a sequence
/// length and an SLA as a multiple of the server-only latency, solved by the program, greedy and single cut. Planning is
/// deterministic, so every run gives the same figures (one run is enough).
/// </summary>
public sealed class SplitGridSweepFamily : ISweepFamily
{
    private static readonly string[] Fields = ["name", "model", "device", "link", "sequence_tokens", "sla_factor", "server_gpu", "step_ms", "methods"];

    /// <summary>The grid's methods, in its order.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["dp", "greedy", "single-cut"];

    public string Name => "split-grid";
    public string AlgorithmsField => "methods";
    public string? RunsField => null;

    public IReadOnlyList<string> MetricNames { get; } = ["server_work_ms", "meets_sla", "switches", "sla_ms", "server_only_work_ms", "server_work_saved_fraction"];

    public IReadOnlyList<string> ReportMetrics { get; } = ["server_work_ms", "server_work_saved_fraction", "meets_sla"];

    /// <summary><c>default</c>: the grid's built-in cell (Sweeps/Builtin/split-grid.yaml).</summary>
    public string? BuiltinText(string name) => name == "default" ? BuiltinCells.Text("split-grid") : null;

    public ISweepScenario Load(string text, string file, string baseDirectory)
    {
        var y = YamlFields.LoadRoot(text, file, "start from the built-in cell: `stamen sweep show split-grid`");
        y.AllowOnly(Fields);
        var model = y.OptString("model") ?? "llama-3.1-8b";
        if (!Model.ModelCatalog.BuiltIn.TryFind(model, out _)) throw y.Error("model", $"unknown model '{model}'", $"use one of {string.Join(", ", Model.ModelCatalog.BuiltIn.Names)}");
        var device = y.RequireString("device", $"name a client device: {string.Join(", ", Split.DeviceCatalog.BuiltIn.Names)}");
        if (!Split.DeviceCatalog.BuiltIn.TryFind(device, out _)) throw y.Error("device", $"unknown device '{device}'", $"use one of {string.Join(", ", Split.DeviceCatalog.BuiltIn.Names)}");
        var linkName = y.OptString("link") ?? "wifi";
        var link = SplitGridStudy.Link(linkName) ?? throw y.Error("link", $"unknown link '{linkName}'", $"use one of {string.Join(", ", SplitGridStudy.Links.Select(l => l.Name))}");
        var tokens = y.OptInt("sequence_tokens", 1, 1_000_000) ?? 512;
        var factor = y.OptDouble("sla_factor", 1) ?? 4;
        var gpu = y.OptString("server_gpu") ?? "a100-80gb";
        if (!Hardware.GpuCatalog.BuiltIn.TryFind(gpu, out _)) throw y.Error("server_gpu", $"unknown GPU '{gpu}'", $"use one of {string.Join(", ", Hardware.GpuCatalog.BuiltIn.Names)}");
        var stepMs = y.OptDouble("step_ms", 0, exclusiveMin: true);
        var methods = y.OptChoices("methods", Methods, "the grid's methods") ?? [.. Methods];
        var name = y.OptString("name") ?? $"{model} {device} {linkName} {tokens} x{factor}";
        return new Scenario(name, methods, new Lazy<SplitGridCell>(() => SplitGridStudy.Cell(model, device, (linkName, link), tokens, factor, stepMs, gpu)));
    }

    private sealed class Scenario(string name, IReadOnlyList<string> methods, Lazy<SplitGridCell> cell) : ISweepScenario
    {
        public string Name => name;
        public int Runs => 1;
        public IReadOnlyList<string> Algorithms => methods;

        public int RunSeed(int run) => run;

        public IReadOnlyList<SweepRunMetrics> Run(int run, CancellationToken cancellation)
        {
            var clock = Stopwatch.StartNew();
            var c = cell.Value;
            var ms = clock.Elapsed.TotalMilliseconds;
            return [.. methods.Select(m =>
            {
                var work = m switch { "dp" => c.DpWorkMs, "greedy" => c.GreedyWorkMs, _ => c.SingleCutWorkMs };
                return new SweepRunMetrics(m,
                [
                    new("server_work_ms", work), new("meets_sla", double.IsNaN(work) ? 0 : 1), new("switches", m == "dp" ? c.DpSwitches : double.NaN),
                    new("sla_ms", c.SlaMs), new("server_only_work_ms", c.ServerOnlyWorkMs), new("server_work_saved_fraction", 1 - work / c.ServerOnlyWorkMs),
                ], [new("plan_ms", ms)]);
            })];
        }
    }
}
