using System.Globalization;
using System.Reflection;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Options;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;
using Stamen.Workload;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stamen.Scenarios.Engine;

/// <summary>
/// Reads an engine scenario YAML into a resolved <see cref="EngineScenario"/>: catalog names, policies
/// and trace paths are checked here, so every mistake names the file, the field with its line, and a fix.
/// </summary>
public static class EngineScenarioParser
{
    /// <summary>Name that means the built-in engine scenario.</summary>
    public const string DefaultName = "default";

    private const string BuiltinFile = "(built-in engine scenario)";
    private static readonly string[] TopFields =
        ["name", "seed", "model", "gpu", "kv", "max_batch", "token_budget", "max_context", "block_size", "step_time", "workload", "policies",
         "instances", "router", "swap", "distkv", "lora"];

    /// <summary>The built-in engine scenario's YAML (Scenarios/Builtin/engine-default.yaml).</summary>
    public static string DefaultYaml
    {
        get
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Stamen.Scenarios.engine-default.yaml")
                ?? throw new InvalidOperationException("built-in engine scenario is missing from the assembly");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>Loads <paramref name="pathOrName"/>: null or "default" for the built-in scenario, else a file.</summary>
    public static EngineScenario Load(string? pathOrName) =>
        pathOrName is null || pathOrName == DefaultName
            ? ParseText(DefaultYaml, BuiltinFile, Directory.GetCurrentDirectory())
            : ParseFile(pathOrName);

    public static EngineScenario ParseFile(string path)
    {
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", "file not found", "check the path, or run `stamen engine compare` with no argument for the built-in default");
        var full = Path.GetFullPath(path);
        return ParseText(Stamen.IO.BoundedFile.ReadAllText(full, Stamen.IO.BoundedFile.MaxTextBytes, "engine scenario"), full, Path.GetDirectoryName(full)!);
    }

    /// <param name="text">YAML.</param>
    /// <param name="file">Name used in errors.</param>
    /// <param name="baseDirectory">Folder that a relative trace path is resolved against.</param>
    public static EngineScenario ParseText(string text, string file, string baseDirectory)
    {
        var y = YamlFields.LoadRoot(text, file, "start from the built-in engine-default.yaml and edit it");
        y.AllowOnly(TopFields);

        var modelName = y.RequireString("model", "name a catalog model (`stamen catalog models`), e.g. llama-3.1-8b");
        if (!ModelCatalog.BuiltIn.TryFind(modelName, out var model))
            throw y.Error("model", $"unknown model '{modelName}'", $"use one of {string.Join(", ", ModelCatalog.BuiltIn.Names)}");
        var gpuName = y.RequireString("gpu", "name a catalog GPU (`stamen catalog gpus`), e.g. h100-sxm");
        if (!GpuCatalog.BuiltIn.TryFind(gpuName, out var gpu))
            throw y.Error("gpu", $"unknown GPU '{gpuName}'", $"use one of {string.Join(", ", GpuCatalog.BuiltIn.Names)}");

        var config = ParseSwap(y.OptMap("swap"), ParseConfig(y, model, gpu));
        var capacityGiven = y.OptMap("kv")?.Has("capacity_tokens") ?? false;
        var kvLabel = capacityGiven ? "given" : FormattableString.Invariant($"{config.KvCapacityTokens:N0} tokens from GPU memory");
        ParsedLora? lora = null;
        if (y.OptMap("lora") is { } l)
        {
            lora = EngineLoraParser.Parse(l, config, capacityGiven);
            if (lora.KvCapacityTokens is { } tokens)
            {
                config = config with { KvCapacityTokens = tokens };
                kvLabel = lora.KvLabel;
            }
        }
        // Without step_time an engine scenario uses the roofline, whatever the model: its studies were made that way.
        var (stepTime, label) = StepTimeParser.Parse(y, "step_time", config) ?? StepTimeCatalog.RooflineDefaults(config);
        var workload = ParseWorkload(y.OptMap("workload") ?? throw y.Error("workload", "is missing", "add `workload:` with `poisson:`, `per_adapter:` or `trace:`"),
            baseDirectory, lora);
        var routerName = y.OptString("router") ?? EngineRouterCatalog.RoundRobin;
        try
        {
            routerName = EngineRouterCatalog.Find(routerName).Name;
        }
        catch (StamenInputException e)
        {
            throw y.Error("router", e.Problem, e.Fix);
        }
        var deployment = new EngineDeployment(config, stepTime, y.OptInt("instances", 1) ?? 1, routerName, lora?.Settings)
        {
            DistKv = ParseDistKv(y.OptMap("distkv")),
        };
        return new EngineScenario(file, y.OptString("name") ?? Path.GetFileNameWithoutExtension(file), y.OptInt("seed") ?? 1,
            deployment, label, kvLabel, workload, ParsePolicies(y));
    }

    private static readonly string[] WorkloadKinds = ["poisson", "trace", "per_adapter"];

    private static EngineConfig ParseSwap(YamlFields? s, EngineConfig config)
    {
        if (s is null) return config;
        s.AllowOnly("pcie_gb_per_s", "swap_space_gb");
        return config with
        {
            PcieBytesPerSec = (s.OptDouble("pcie_gb_per_s", 0, exclusiveMin: true) ?? config.PcieBytesPerSec / 1e9) * 1e9,
            SwapSpaceBytes = (s.OptDouble("swap_space_gb", 0) ?? config.SwapSpaceBytes / 1e9) * 1e9,
        };
    }

    private static DistKvSettings ParseDistKv(YamlFields? d)
    {
        var defaults = new DistKvSettings();
        if (d is null) return defaults;
        d.AllowOnly("lending_cap", "link_gb_per_s", "link_rtt_us");
        var cap = d.OptDouble("lending_cap", 0) ?? defaults.LendingCapFraction;
        if (cap > 1) throw d.Error("lending_cap", $"{cap.ToString(CultureInfo.InvariantCulture)} is above 1", "give the fraction of its cache an instance may lend, e.g. 0.5");
        return new DistKvSettings(cap,
            (d.OptDouble("link_gb_per_s", 0, exclusiveMin: true) ?? defaults.LinkBytesPerSec / 1e9) * 1e9,
            (d.OptDouble("link_rtt_us", 0) ?? defaults.LinkRttMs * 1000) / 1000);
    }

    private static EngineConfig ParseConfig(YamlFields y, ModelSpec model, GpuSpec gpu)
    {
        var maxBatch = y.OptInt("max_batch", 1) ?? 256;
        var budget = y.OptInt("token_budget", 1) ?? 2048;
        var maxContext = y.OptInt("max_context", 2) ?? 8192;
        var blockSize = y.OptInt("block_size", 1) ?? 16;
        var kv = y.OptMap("kv");
        kv?.AllowOnly("memory_utilisation", "capacity_tokens");
        if (kv is not null && kv.Has("memory_utilisation") && kv.Has("capacity_tokens"))
            throw kv.Error("capacity_tokens", "both memory_utilisation and capacity_tokens are given", "keep one of them");
        var capacity = kv?.OptInt("capacity_tokens", blockSize);
        if (capacity is { } tokens)
            return new EngineConfig(model, gpu, tokens, maxBatch, budget, blockSize, maxContext);
        var utilisation = kv?.OptDouble("memory_utilisation", 0, exclusiveMin: true) ?? EngineConfig.DefaultMemoryUtilisation;
        if (utilisation > 1)
            throw kv!.Error("memory_utilisation", $"{utilisation.ToString(CultureInfo.InvariantCulture)} is above 1", "use a fraction such as 0.9");
        try
        {
            return EngineConfig.ForGpu(model, gpu, utilisation, maxBatch, budget, blockSize, maxContext);
        }
        catch (StamenInputException e)
        {
            throw y.Error("gpu", e.Problem, e.Fix);
        }
    }

    private static EngineWorkloadDefinition ParseWorkload(YamlFields w, string baseDirectory, ParsedLora? lora)
    {
        w.AllowOnly("poisson", "trace", "per_adapter");
        var given = WorkloadKinds.Where(w.Has).ToArray();
        if (given.Length != 1)
            throw w.Error(given.Length > 1 ? given[1] : "poisson", given.Length > 1 ? $"{string.Join(" and ", given)} are both given" : "no workload is given",
                "give exactly one of poisson:, per_adapter:, trace:");
        if (w.OptMap("per_adapter") is { } a)
        {
            a.AllowOnly("duration_s", "prompt_tokens", "output_tokens");
            if (lora?.RatesPerSec is not { } rates)
                throw w.Error("per_adapter", "needs adapters with rates", "list lora.adapters with rate_per_s, or lora.generate with rate_per_s or zipf");
            var duration = a.OptDouble("duration_s", 0, exclusiveMin: true) ?? throw a.Error("duration_s", "is missing", "give the simulated seconds of arrivals, e.g. 600");
            FieldBounds.CheckRequests(a, "duration_s", rates.Sum() * duration, $"{rates.Sum():0.###} requests/s for {duration} s");
            return new EngineAdapterPoissonWorkload(new AdapterPoissonWorkload(rates, duration,
                ScenarioParser.ParseTokens(a, "prompt_tokens", 512), ScenarioParser.ParseTokens(a, "output_tokens", 128)));
        }
        if (w.OptMap("poisson") is { } p)
        {
            p.AllowOnly("rate_per_s", "requests", "prompt_tokens", "output_tokens");
            var rate = p.OptDouble("rate_per_s", 0, exclusiveMin: true) ?? throw p.Error("rate_per_s", "is missing", "give the arrival rate in requests per second, e.g. 20");
            return new EnginePoissonWorkload(new PoissonWorkload(rate, p.OptInt("requests", 1) ?? 1000,
                ScenarioParser.ParseTokens(p, "prompt_tokens", 512), ScenarioParser.ParseTokens(p, "output_tokens", 128), [1.0]));
        }
        var t = w.OptMap("trace") ?? throw w.Error("trace", "expected a mapping of fields", "write trace: {path: ..., time_scale: 1}");
        t.AllowOnly("path", "limit", "time_scale");
        var path = Path.GetFullPath(Path.Combine(baseDirectory, t.RequireString("path", "give the CSV path, relative to the scenario file")));
        if (!File.Exists(path)) throw t.Error("path", $"file not found: {path}", "check the path (relative paths start at the scenario file's folder)");
        return new EngineTraceWorkload(path, t.OptInt("limit", 1), t.OptDouble("time_scale", 0, exclusiveMin: true) ?? 1.0,
            [.. lora?.Settings.Adapters.Select(x => x.Name) ?? []]);
    }

    /// <summary>
    /// <c>{name: my-vllm, base: vllm, preemption: swap}</c>: a catalog policy (<c>base</c>, default the name) with its
    /// options changed (`stamen catalog engine-policies`); every bad option is reported at once.
    /// </summary>
    private static EnginePolicy ParsePolicyWithOptions(YamlFields f)
    {
        var name = f.RequireString("name", "name this policy");
        var baseName = f.OptString("base") ?? name;
        var options = f.RawOptions("name", "base");
        var problems = new List<InputProblem>();
        var choice = EnginePolicyCatalog.Policies.Choose(baseName, $"{f.FieldPath("base")} (line {(f.Find("base") ?? f.Find("name"))!.Start.Line})", options, problems);
        if (choice is null) throw StamenInputException.Many(f.File, [.. problems.Select(p => (p.Field, p.Problem, p.Fix))]);
        var entry = EnginePolicyCatalog.Policies.Find(choice.Name);
        var changed = choice.Options.Describe();
        return EnginePolicyCatalog.Policies.Create(choice) with
        {
            Name = name,
            Summary = changed.Length == 0 ? entry.Description : $"{entry.Description} ({changed})",
        };
    }

    private static IReadOnlyList<EnginePolicy> ParsePolicies(YamlFields y)
    {
        var list = y.OptList("policies");
        if (list is null) return EnginePolicyCatalog.All;
        if (list.Count == 0) throw y.Error("policies", "is empty", $"list policies from {string.Join(", ", EnginePolicyCatalog.Names)}");
        var policies = new List<EnginePolicy>();
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"policies[{i}]";
            EnginePolicy policy;
            if (list[i] is YamlMappingNode map)
                policy = ParsePolicyWithOptions(new YamlFields(y.File, path, map));
            else if (list[i] is YamlScalarNode { Value: { } name })
            {
                try
                {
                    policy = EnginePolicyCatalog.Find(name);
                }
                catch (StamenInputException e)
                {
                    throw y.Error(list[i], path, e.Problem, e.Fix);
                }
            }
            else throw y.Error(list[i], path, "expected a policy name or {name, base, options...}", $"use one of {string.Join(", ", EnginePolicyCatalog.Names)}");
            if (policies.Any(p => p.Name == policy.Name))
                throw y.Error(list[i], path, $"policy '{policy.Name}' is listed twice", "list each policy once");
            policies.Add(policy);
        }
        return policies;
    }
}
