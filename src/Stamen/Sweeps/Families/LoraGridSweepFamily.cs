using System.Diagnostics;
using Stamen.Experiments;
using Stamen.Scenarios;
using Stamen.Workload;
using YamlDotNet.RepresentationModel;

namespace Stamen.Sweeps.Families;

/// <summary>
/// One cell of the multi-LoRA grid (`stamen reproduce engine-lora`) as a file: a profiled model on one H100 serving
/// <c>adapters</c> adapters with <c>slots</c> GPU slots, ranks cycled from a list, uniform prompt and output lengths,
/// each <c>policies:</c> entry on the same arrivals (seed + r for run r). A cell with more slots than adapters has no
/// runs: vLLM caps the slots at the adapters present, so it repeats another cell.
/// </summary>
public sealed class LoraGridSweepFamily : ISweepFamily
{
    private static readonly string[] Fields =
        ["name", "model", "adapters", "slots", "ranks", "rate_per_adapter_per_s", "duration_s", "prompt_tokens", "output_tokens", "seed", "policies"];

    private static readonly EngineSweepFamily Engine = new();

    /// <summary>Most adapters a cell serves (the engine scenario's own bound).</summary>
    private const int MaxAdapters = 10_000;

    public string Name => "lora-grid";
    public string AlgorithmsField => "policies";
    public string? RunsField => null;

    public IReadOnlyList<string> MetricNames { get; } = ["starts", "kv_capacity_tokens", "starved_adapters", .. Engine.MetricNames];

    public IReadOnlyList<string> ReportMetrics { get; } = ["total_tokens_per_s", "starved_adapters", "ttft_mean_ms", "adapter_loads"];

    /// <summary><c>default</c>: the grid's built-in cell (Sweeps/Builtin/lora-grid.yaml).</summary>
    public string? BuiltinText(string name) => name == "default" ? BuiltinCells.Text("lora-grid") : null;

    public ISweepScenario Load(string text, string file, string baseDirectory)
    {
        var c = Read(text, file);
        return new Scenario(c.Name, c.Setup, c.Adapters, c.Slots, c.Slots <= c.Adapters ? c.Policies : []);
    }

    /// <summary>A cell file's fields, checked.</summary>
    public static LoraGridCellFile Read(string text, string file)
    {
        var y = YamlFields.LoadRoot(text, file, "start from the built-in cell: `stamen sweep show lora-grid`");
        y.AllowOnly(Fields);
        var adapters = y.OptInt("adapters", 1, MaxAdapters) ?? throw y.Error("adapters", "is missing", "give the adapters served, e.g. 32");
        var slots = y.OptInt("slots", 1, MaxAdapters) ?? throw y.Error("slots", "is missing", "give the GPU adapter slots (max_loras), e.g. 16");
        var ranks = (y.OptList("ranks") ?? [new YamlScalarNode("8"), new YamlScalarNode("16")]).Select((n, i) =>
            n is YamlScalarNode s && int.TryParse(s.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var r) && r is >= 1 and <= 1024 ? r
                : throw y.Error(n, $"ranks[{i}]", "expected a rank in 1..1024", "write e.g. [8, 16]")).ToList();
        if (ranks.Count == 0) throw y.Error("ranks", "is empty", "give at least one rank");
        var policies = y.OptList("policies")?.Select((n, i) => n is YamlScalarNode { Value: { Length: > 0 } v } ? v
            : throw y.Error(n, $"policies[{i}]", "expected a policy name", "write e.g. [sarathi]")).ToList() ?? ["sarathi"];
        foreach (var (p, i) in policies.Select((p, i) => (p, i)))
            if (Simulation.Engine.Policies.EnginePolicyCatalog.Policies.TryFind(p) is null)
                throw y.Error("policies", $"unknown policy '{p}'", $"use one of: {string.Join(", ", Simulation.Engine.Policies.EnginePolicyCatalog.Policies.Names)}");
        var setup = new LoraGridSetup(y.OptString("model") ?? "llama-3.1-8b", ranks,
            y.OptDouble("rate_per_adapter_per_s", 0, exclusiveMin: true) ?? 0.05, y.OptDouble("duration_s", 0, exclusiveMin: true) ?? 600,
            Uniform(y, "prompt_tokens", 32, 1024), Uniform(y, "output_tokens", 16, 512), policies[0], y.OptInt("seed") ?? 1);
        if (!Adapters.LoraProfileCatalog.BuiltIn.TryFind(setup.Model, out _))
            throw y.Error("model", $"no LoRA profile is published for {setup.Model}", $"use one of {string.Join(", ", Adapters.LoraProfileCatalog.BuiltIn.Names)}");
        if (RequestBudget.Problem(adapters * setup.RatePerAdapterPerSec * setup.DurationSec, "adapters x rate_per_adapter_per_s x duration_s") is { } problem)
            throw y.Error("duration_s", problem, "shorten duration_s or lower the rate");
        return new LoraGridCellFile(y.OptString("name") ?? $"{setup.Model} {adapters} adapters {slots} slots", setup, adapters, slots, policies);
    }

    private static UniformTokenCount Uniform(YamlFields y, string key, int min, int max)
    {
        var list = y.OptList(key);
        if (list is null) return new UniformTokenCount(min, max);
        var values = list.Select(n => n is YamlScalarNode s && int.TryParse(s.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1).ToList();
        if (values.Count != 2 || values[0] < 1 || values[1] < values[0] || values[1] > 1_000_000)
            throw y.Error(key, "expected [min, max] tokens, uniform", $"write e.g. {key}: [{min}, {max}]");
        return new UniformTokenCount(values[0], values[1]);
    }

    private sealed class Scenario(string name, LoraGridSetup setup, int adapters, int slots, IReadOnlyList<string> policies) : ISweepScenario
    {
        public string Name => name;
        public int Runs => 1;
        public IReadOnlyList<string> Algorithms => policies;

        public int RunSeed(int run) => checked(setup.Seed + run);

        public IReadOnlyList<SweepRunMetrics> Run(int run, CancellationToken cancellation)
        {
            var results = new List<SweepRunMetrics>(policies.Count);
            foreach (var policy in policies)
            {
                cancellation.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var cell = LoraGridStudy.Cell(setup with { Policy = policy, Seed = RunSeed(run) }, adapters, slots);
                var engine = cell.Metrics is { } m ? EngineSweepFamily.Named(m) : Engine.MetricNames.Select(n => new KeyValuePair<string, double>(n, double.NaN)).ToList();
                results.Add(new SweepRunMetrics(policy,
                [
                    new("starts", cell.Metrics is null ? 0 : 1), new("kv_capacity_tokens", cell.KvCapacityTokens ?? double.NaN), new("starved_adapters", cell.StarvedAdapters), .. engine,
                ], [new("run_ms", clock.Elapsed.TotalMilliseconds)]));
            }
            return results;
        }
    }
}

/// <summary>A lora-grid cell file: the grid's setup (its policy is the first of <paramref name="Policies"/>), the adapters and the slots.</summary>
public sealed record LoraGridCellFile(string Name, LoraGridSetup Setup, int Adapters, int Slots, IReadOnlyList<string> Policies);
