using Stamen.Hardware;
using Stamen.Model;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;
using Stamen.Workload;

namespace Stamen.Bench;

/// <summary>
/// Engine twin speed on one thread: the Azure conversation trace (19,366 requests, about an hour) on
/// Llama-3.1-8B / H100 engines. Loading the trace happens before the clock starts; only
/// <see cref="EngineTwin.Run(EngineDeployment, EnginePolicy, IReadOnlyList{EngineRequest}, bool)"/> is timed.
/// </summary>
public sealed class EngineCases(int repetitions, TextWriter log)
{
    private static readonly ModelSpec Llama = ModelCatalog.BuiltIn.Find("llama-3.1-8b");
    private static readonly GpuSpec H100 = GpuCatalog.BuiltIn.Find("h100-sxm");

    public IEnumerable<BenchRow> Run()
    {
        var trace = RepositoryData.Find(Path.Combine("traces", "azure_conv_2023.csv"));
        if (trace is null)
        {
            log.WriteLine("  skipped: data/traces/azure_conv_2023.csv not found above the working folder");
            yield break;
        }
        var config = EngineConfig.ForGpu(Llama, H100);
        var roofline = new RooflineStepTimeModel(config);
        var oneX = Load(trace, 1.0);
        var fourX = Load(trace, 0.25);
        foreach (var policy in (string[])["vllm", "orca-max-length", "sarathi", "vllm-swap"])
            yield return Time($"{policy}, 1 engine, trace 1x", new EngineDeployment(config, roofline), policy, oneX);
        yield return Time("vllm, 1 engine, trace 4x (overloaded)", new EngineDeployment(config, roofline), "vllm", fourX);
        yield return Time("distkv, 4 engines least-outstanding, trace 4x", new EngineDeployment(config, roofline, 4, "least-outstanding"), "distkv", fourX);

        // 100 adapters of ranks 8/16/32 cycled over the trace's requests, 32 slots, the published overhead and load costs.
        var lora = new LoraEngineSettings([.. Enumerable.Range(0, 100).Select(k => new LoraAdapter($"a{k}", 8 << (k % 3)))], 32, 32,
            new Dictionary<int, double> { [8] = 8.076, [16] = 7.869, [32] = 6.367 }, new LoraOverhead(1.93011757, 200.01448221));
        var withAdapters = oneX.Select(r => r with { Adapter = r.Id % 100 }).ToList();
        yield return Time("vllm multi-LoRA 100 adapters / 32 slots, trace 1x",
            new EngineDeployment(config with { KvCapacityTokens = 295_232 }, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: lora), "vllm", withAdapters);

        // The published multi-adapter twin's own kind of stream (reference section 4): Poisson arrivals per adapter,
        // uniform lengths, fitted step time, adapter slots: examples/engine-lora.yaml and the same at 384 adapters.
        var example = RepositoryData.Find(Path.Combine("..", "examples", "engine-lora.yaml"));
        if (example is null) yield break;
        var text = File.ReadAllText(example);
        foreach (var (name, yaml) in new[]
        {
            ("DT-style stream: 64 adapters / 32 slots, 600 s (examples/engine-lora.yaml)", text),
            ("DT-style stream: 384 adapters / 128 slots, 600 s", text.Replace("count: 64", "count: 384", StringComparison.Ordinal)
                .Replace("max_loras: 32", "max_loras: 128", StringComparison.Ordinal)),
        })
            yield return TimeScenario(name, Stamen.Scenarios.Engine.EngineScenarioParser.ParseText(yaml, example, Path.GetDirectoryName(example)!));
    }

    /// <summary>A whole engine scenario run as `stamen engine simulate -p vllm` runs it in process: arrivals drawn, then the twin.</summary>
    private BenchRow TimeScenario(string name, Stamen.Scenarios.Engine.EngineScenario scenario)
    {
        var policy = EnginePolicyCatalog.Find("vllm");
        IReadOnlyList<EngineRunResult> results = null!;
        var t = Measure.Run(repetitions, () => results = Stamen.Experiments.EngineComparison.Run(scenario, scenario.Seed, [policy]));
        var requests = results[0].Requests.Count;
        var perSecond = requests / (t.MedianMs / 1000.0);
        log.WriteLine($"  {name,-52} median {t.MedianMs,9:F1} ms  {perSecond,10:N0} req/s");
        return new BenchRow("engine", name, $"{requests} req", t.MedianMs, t.MinMs, t.SamplesMs.Count,
            new Dictionary<string, double> { ["requests"] = requests, ["requests_per_wall_s"] = perSecond, ["iterations"] = results[0].Metrics.Iterations },
            $"target >= 134,000 req/s (20x the published twin's 6,700): {(perSecond >= 134_000 ? "met" : "NOT met")}");
    }

    private BenchRow Time(string name, EngineDeployment deployment, string policyName, List<EngineRequest> requests)
    {
        var policy = EnginePolicyCatalog.Find(policyName);
        EngineRunResult result = null!;
        var t = Measure.Run(repetitions, () => result = EngineTwin.Run(deployment, policy, requests));
        var seconds = t.MedianMs / 1000.0;
        var simulatedS = result.Metrics.MakespanMs / 1000.0;
        var figures = new Dictionary<string, double>
        {
            ["requests"] = requests.Count,
            ["requests_per_wall_s"] = requests.Count / seconds,
            ["iterations"] = result.Metrics.Iterations,
            ["iterations_per_wall_s"] = result.Metrics.Iterations / seconds,
            ["simulated_s"] = simulatedS,
            ["simulated_s_per_wall_s"] = simulatedS / seconds,
            ["throughput_tokens_per_s"] = result.Metrics.TotalTokensPerSec,
        };
        log.WriteLine($"  {name,-52} median {t.MedianMs,9:F1} ms  {requests.Count / seconds,10:N0} req/s  {result.Metrics.Iterations / seconds,12:N0} it/s  simulated {simulatedS,7:F0} s");
        var met = requests.Count / seconds >= 100_000 ? "met" : "NOT met";
        return new BenchRow("engine", name, $"{requests.Count} req", t.MedianMs, t.MinMs, t.SamplesMs.Count, figures,
            $"target >= 1e5 req/s: {met}");
    }

    private static List<EngineRequest> Load(string path, double timeScale) =>
        [.. TraceWorkloadLoader.LoadRows(path, timeScale: timeScale).Select((r, i) => new EngineRequest(i, r.ArrivalMs, r.PromptTokens, r.OutputTokens))];
}
