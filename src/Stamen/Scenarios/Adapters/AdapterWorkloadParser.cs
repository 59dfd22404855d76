using System.Reflection;
using Stamen.Adapters;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;

namespace Stamen.Scenarios.Adapters;

/// <summary>
/// Reads an adapter-placement workload YAML: model and GPU from the catalogs, the adapters (listed with
/// rank and rate, or generated with ranks cycled and uniform or Zipf rates, as in an engine scenario's
/// <c>lora:</c> section), token lengths, the step-time model and the twin's duration per GPU.
/// </summary>
public static class AdapterWorkloadParser
{
    /// <summary>Name that means the built-in workload.</summary>
    public const string DefaultName = "default";

    /// <summary>Most adapters one workload places (the published grid's largest is 1,000).</summary>
    public const int MaxPlacedAdapters = 2_000;

    private const string BuiltinFile = "(built-in adapters workload)";

    private static readonly string[] TopFields =
        ["name", "seed", "model", "gpu", "step_time", "policy", "duration_s", "prompt_tokens", "output_tokens", "adapters", "generate"];

    public static string DefaultYaml
    {
        get
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Stamen.Scenarios.adapters-default.yaml")
                ?? throw new InvalidOperationException("built-in adapters workload is missing from the assembly");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>Loads <paramref name="pathOrName"/>: null or "default" for the built-in workload, else a file.</summary>
    public static AdapterWorkload Load(string? pathOrName)
    {
        if (pathOrName is null || pathOrName == DefaultName) return ParseText(DefaultYaml, BuiltinFile);
        if (!File.Exists(pathOrName))
            throw new StamenInputException(pathOrName, "(file)", "file not found", "check the path, or omit it for the built-in default workload");
        var full = Path.GetFullPath(pathOrName);
        return ParseText(Stamen.IO.BoundedFile.ReadAllText(full, Stamen.IO.BoundedFile.MaxTextBytes, "adapter workload"), full);
    }

    public static AdapterWorkload ParseText(string text, string file)
    {
        var y = YamlFields.LoadRoot(text, file, "start from the built-in adapters-default.yaml (`stamen adapters plan` with no argument uses it)");
        y.AllowOnly(TopFields);
        var modelName = y.RequireString("model", "name a catalog model, e.g. llama-3.1-8b");
        if (!ModelCatalog.BuiltIn.TryFind(modelName, out var model))
            throw y.Error("model", $"unknown model '{modelName}'", $"use one of {string.Join(", ", ModelCatalog.BuiltIn.Names)}");
        var gpuName = y.OptString("gpu") ?? "h100-sxm";
        if (!GpuCatalog.BuiltIn.TryFind(gpuName, out var gpu))
            throw y.Error("gpu", $"unknown GPU '{gpuName}'", $"use one of {string.Join(", ", GpuCatalog.BuiltIn.Names)}");
        EngineConfig config;
        try
        {
            config = EngineConfig.ForGpu(model, gpu);
        }
        catch (StamenInputException e)
        {
            throw y.Error("gpu", e.Problem, e.Fix);
        }
        var (stepTime, label) = StepTimeParser.Parse(y, "step_time", config) ?? StepTimeCatalog.DefaultFor(config);
        var (adapters, rates) = EngineLoraParser.ParseAdapters(y);
        if (rates is null)
            throw y.Error(y.Has("adapters") ? "adapters" : "generate", "adapters need request rates to be placed", "give every adapter a rate_per_s, or generate with rate_per_s or zipf");
        var policyName = y.OptString("policy") ?? "sarathi";
        EnginePolicy policy;
        try
        {
            policy = EnginePolicyCatalog.Find(policyName);
        }
        catch (StamenInputException e)
        {
            throw y.Error("policy", e.Problem, e.Fix);
        }
        var seed = y.OptInt("seed") ?? 1;
        var twin = new GpuServingTwin(model, gpu, stepTime, ScenarioParser.ParseTokens(y, "prompt_tokens", 528), ScenarioParser.ParseTokens(y, "output_tokens", 264),
            y.OptDouble("duration_s", 0, exclusiveMin: true) ?? 300, policy, seed);
        var demands = adapters.Select((a, k) => new AdapterDemand(a.Name, a.Rank, rates[k])).ToArray();
        if (demands.Length > MaxPlacedAdapters)
            throw y.Error(y.Has("adapters") ? "adapters" : "generate", $"{demands.Length} adapters to place; placement here handles at most {MaxPlacedAdapters} (1,000 take about 20 s)",
                "split the workload, or place fewer adapters");
        FieldBounds.CheckRequests(y, "duration_s", rates.Sum() * twin.DurationSec, $"{rates.Sum():0.###} requests/s for {twin.DurationSec} s");
        foreach (var a in demands)
            if (twin.MaxSlots(a.Rank) == 0)
                throw y.Error(y.Has("adapters") ? "adapters" : "generate", $"adapter '{a.Name}' of rank {a.Rank} cannot be served on {gpu.Name}: not even one slot fits",
                    "use smaller ranks or a larger GPU");
        return new AdapterWorkload(file, y.OptString("name") ?? Path.GetFileNameWithoutExtension(file), seed, demands, twin, label);
    }
}
