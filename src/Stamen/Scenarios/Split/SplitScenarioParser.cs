using System.Globalization;
using System.Reflection;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Options;
using Stamen.Split;
using YamlDotNet.RepresentationModel;

namespace Stamen.Scenarios.Split;

/// <summary>Reads a split-inference scenario YAML; every mistake names the file, the field with its line, and a fix.</summary>
public static class SplitScenarioParser
{
    public const string DefaultName = "default";

    private const string BuiltinFile = "(built-in split scenario)";

    private static readonly string[] TopFields =
        ["name", "seed", "model", "server_gpu", "server_gpus", "latency_step_ms", "client_weight_bits", "duration_s", "request_types", "methods"];

    public static string DefaultYaml
    {
        get
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Stamen.Scenarios.split-default.yaml")
                ?? throw new InvalidOperationException("built-in split scenario is missing from the assembly");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    public static SplitScenario Load(string? pathOrName)
    {
        if (pathOrName is null || pathOrName == DefaultName) return ParseText(DefaultYaml, BuiltinFile);
        if (!File.Exists(pathOrName))
            throw new StamenInputException(pathOrName, "(file)", "file not found", "check the path, or omit it for the built-in split scenario");
        var full = Path.GetFullPath(pathOrName);
        return ParseText(Stamen.IO.BoundedFile.ReadAllText(full, Stamen.IO.BoundedFile.MaxTextBytes, "split scenario"), full);
    }

    public static SplitScenario ParseText(string text, string file)
    {
        var y = YamlFields.LoadRoot(text, file, "start from the built-in split-default.yaml (`stamen split plan` with no argument uses it)");
        y.AllowOnly(TopFields);
        var modelName = y.RequireString("model", "name a catalog model, e.g. llama-3.1-8b");
        if (!ModelCatalog.BuiltIn.TryFind(modelName, out var model))
            throw y.Error("model", $"unknown model '{modelName}'", $"use one of {string.Join(", ", ModelCatalog.BuiltIn.Names)}");
        var gpuName = y.OptString("server_gpu") ?? "a100-80gb";
        if (!GpuCatalog.BuiltIn.TryFind(gpuName, out var gpu))
            throw y.Error("server_gpu", $"unknown GPU '{gpuName}'", $"use one of {string.Join(", ", GpuCatalog.BuiltIn.Names)}");
        var bits = y.OptDouble("client_weight_bits", 1) ?? 16;
        if (bits > 32) throw y.Error("client_weight_bits", "is above 32", "use 16 for fp16, 8 or 4 for quantised client weights");
        var list = y.OptList("request_types") ?? throw y.Error("request_types", "is missing", "list request types with device, link, sequence_tokens, sla_ms, rate_per_s");
        if (list.Count == 0) throw y.Error("request_types", "is empty", "list at least one request type");
        var types = new List<SplitRequestType>();
        for (var i = 0; i < list.Count; i++)
        {
            var path = y.FieldPath($"request_types[{i}]");
            if (list[i] is not YamlMappingNode node) throw y.Error(list[i], path, "expected a mapping", "write {name: ..., device: ..., link: {...}, ...}");
            var t = new YamlFields(y.File, path, node);
            t.AllowOnly("name", "device", "link", "sequence_tokens", "sla_ms", "rate_per_s");
            var name = t.OptString("name") ?? $"type-{i}";
            if (types.Any(x => x.Name == name)) throw t.Error("name", $"'{name}' is listed twice", "give each request type its own name");
            var deviceName = t.RequireString("device", $"name a device: {string.Join(", ", DeviceCatalog.BuiltIn.Names)}");
            if (!DeviceCatalog.BuiltIn.TryFind(deviceName, out var device))
                throw t.Error("device", $"unknown device '{deviceName}'", $"use one of {string.Join(", ", DeviceCatalog.BuiltIn.Names)}");
            var l = t.OptMap("link") ?? throw t.Error("link", "is missing", "give {uplink_mbps: 20, downlink_mbps: 100, rtt_ms: 40}");
            l.AllowOnly("uplink_mbps", "downlink_mbps", "rtt_ms");
            var link = new LinkSpec(
                (l.OptDouble("uplink_mbps", 0, exclusiveMin: true) ?? throw l.Error("uplink_mbps", "is missing", "give the uplink in Mbit/s")) * 1e6,
                (l.OptDouble("downlink_mbps", 0, exclusiveMin: true) ?? throw l.Error("downlink_mbps", "is missing", "give the downlink in Mbit/s")) * 1e6,
                l.OptDouble("rtt_ms", 0) ?? throw l.Error("rtt_ms", "is missing", "give the round trip in ms"));
            var tokens = t.OptInt("sequence_tokens", 1) ?? throw t.Error("sequence_tokens", "is missing", "give the tokens one forward pass processes, e.g. 512");
            var sla = t.OptDouble("sla_ms", 0, exclusiveMin: true) ?? throw t.Error("sla_ms", "is missing", "give the latency target in ms");
            var rate = t.OptDouble("rate_per_s", 0) ?? 1;
            types.Add(new SplitRequestType(name, device, link, tokens, sla, rate, SplitCostModel.Build(model, gpu, device, link, tokens, sla, bits)));
        }
        var seconds = y.OptDouble("duration_s", 0, exclusiveMin: true) ?? 600;
        FieldBounds.CheckRequests(y, "duration_s", types.Sum(t => t.RatePerSec) * seconds, $"{types.Sum(t => t.RatePerSec):0.###} requests/s for {seconds} s");
        return new SplitScenario(file, y.OptString("name") ?? Path.GetFileNameWithoutExtension(file), y.OptInt("seed") ?? 1, model.Name, gpu.Name,
            y.OptInt("server_gpus", 1) ?? 1, ParseMethods(y), seconds, types);
    }

    /// <summary>
    /// <c>methods: [dp, greedy, {name: dp, latency_step_ms: 1}]</c> from `stamen catalog split-methods`; by default
    /// dp, greedy, single-cut and server-only. A top-level <c>latency_step_ms</c> sets the dynamic program's step
    /// where its entry does not. Every problem is reported at once.
    /// </summary>
    private static List<ComponentChoice> ParseMethods(YamlFields y)
    {
        var step = y.OptDouble("latency_step_ms", 0, exclusiveMin: true);
        var topStep = step is { } ms ? [new RawOption("latency_step_ms", ms.ToString("R", CultureInfo.InvariantCulture), null, y.FieldPath("latency_step_ms"))] : new List<RawOption>();
        var problems = new List<InputProblem>();
        var choices = new List<ComponentChoice>();
        var list = y.OptList("methods");
        if (list is { Count: 0 }) throw y.Error("methods", "is empty", $"list methods from {string.Join(", ", SplitPlannerCatalog.Planners.Names)}, or leave it out");
        var entries = list is null
            ? SplitPlannerCatalog.DefaultMethods.Select(n => (Name: n, Options: new List<RawOption>(), Field: y.FieldPath("methods"))).ToList()
            : [.. list.Select((node, i) => MethodEntry(y, node, i))];
        foreach (var (name, options, field) in entries)
        {
            var raw = name == "dp" && !options.Any(o => o.Name == "latency_step_ms") ? [.. options, .. topStep] : options;
            if (SplitPlannerCatalog.Planners.Choose(name, field, raw, problems) is not { } choice) continue;
            if (choices.Any(c => c.Name == choice.Name)) problems.Add(new InputProblem(field, $"'{choice.Name}' is listed twice", "list each method once"));
            else choices.Add(choice);
        }
        if (problems.Count > 0) throw StamenInputException.Many(y.File, [.. problems.Select(p => (p.Field, p.Problem, p.Fix))]);
        return choices;
    }

    private static (string Name, List<RawOption> Options, string Field) MethodEntry(YamlFields y, YamlNode node, int i)
    {
        var path = y.FieldPath($"methods[{i}]");
        var at = $"{path} (line {node.Start.Line})";
        if (node is YamlScalarNode { Value: { } name }) return (name.Trim(), [], at);
        if (node is not YamlMappingNode map) throw y.Error(node, path, "expected a name or a mapping", "write dp or {name: dp, latency_step_ms: 1}");
        var m = new YamlFields(y.File, path, map);
        return (m.RequireString("name", "name a split method (`stamen catalog split-methods`)"), m.RawOptions("name"), at);
    }
}
