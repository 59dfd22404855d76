using System.Globalization;
using Stamen.Workload;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stamen.Scenarios;

/// <summary>
/// Reads a scenario YAML file into a <see cref="ScenarioDefinition"/>, checking every field and
/// resolving paths against the file's folder. Names in catalogs (models, GPUs, algorithms) and
/// topology nodes are checked later by <see cref="ScenarioResolver"/>, which knows them.
/// </summary>
public static class ScenarioParser
{
    private static readonly string[] NetworkSources = ["synthetic", "repetita", "graphml", "rtt_csv", "clustered"];
    private static readonly string[] WorkloadSources = ["poisson", "trace", "arrivals"];

    public static ScenarioDefinition ParseFile(string path)
    {
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", "file not found", "check the path, or run `stamen compare` with no argument for the built-in default");
        var full = Path.GetFullPath(path);
        return ParseText(Stamen.IO.BoundedFile.ReadAllText(full, Stamen.IO.BoundedFile.MaxTextBytes, "scenario"), full, Path.GetDirectoryName(full)!);
    }

    /// <param name="text">YAML.</param>
    /// <param name="file">Name used in errors and reports.</param>
    /// <param name="baseDirectory">Folder that relative paths in the scenario are resolved against.</param>
    public static ScenarioDefinition ParseText(string text, string file, string baseDirectory)
    {
        var y = YamlFields.LoadRoot(text, file, "start from `stamen scenario default` and edit it");
        y.AllowOnly("name", "seed", "runs", "model", "models_file", "gpus_file", "network", "servers", "clients", "workload", "delays", "algorithms");
        string? Resolve(string? p) => p is null ? null : Path.GetFullPath(Path.Combine(baseDirectory, p));

        var servers = ParseServers(y.OptMap("servers") ?? throw y.Error("servers", "is missing", "list servers (`list:`) or a GPU mix (`count:` and `gpus:`)"));
        var clients = ParseClients(y);
        var algorithms = ParseAlgorithms(y);
        var workload = y.OptMap("workload") ?? throw y.Error("workload", "is missing", "add `workload:` with `poisson:`, `trace:` or `arrivals:`");
        return new ScenarioDefinition(
            file,
            y.OptString("name") ?? Path.GetFileNameWithoutExtension(file),
            y.OptInt("seed") ?? 1,
            y.OptInt("runs", 1) ?? 1,
            ParseModel(y, Resolve),
            Resolve(y.OptString("models_file")),
            Resolve(y.OptString("gpus_file")),
            ParseNetwork(y.OptMap("network"), y, Resolve),
            servers,
            clients,
            ParseWorkload(workload, Resolve),
            ParseDelays(y.OptMap("delays")),
            algorithms)
        {
            PlanningRatePerSec = workload.OptDouble("planning_rate_per_s", 0, exclusiveMin: true),
        };
    }

    private static ModelChoice ParseModel(YamlFields y, Func<string?, string?> resolve)
    {
        var node = y.Find("model") ?? throw y.Error("model", "is missing", "name a catalog model (`stamen catalog models`) or give `model: {config: path/to/config.json}`");
        if (node is YamlScalarNode s)
            return new ModelChoice(s.Value, null, null, null);
        var m = y.OptMap("model")!;
        m.AllowOnly("name", "config", "dtype");
        var config = resolve(m.OptString("config"));
        if (config is null)
            return new ModelChoice(m.RequireString("name", "name a catalog model or give `config:`"), null, null, m.OptString("dtype"));
        return new ModelChoice(null, config, m.OptString("name"), m.OptString("dtype"));
    }

    private static NetworkDefinition ParseNetwork(YamlFields? n, YamlFields top, Func<string?, string?> resolve)
    {
        n ??= new YamlFields(top.File, "network", new YamlMappingNode());
        n.AllowOnly("synthetic", "repetita", "graphml", "rtt_csv", "clustered", "fibre_route_factor",
            "per_token_overhead_ms", "first_token_overhead_ms", "first_token_ms_per_prompt_token");
        var kinds = NetworkSources.Where(n.Has).ToList();
        if (kinds.Count > 1)
            throw n.Error(kinds[1], $"both '{kinds[0]}' and '{kinds[1]}' are given", "keep one network source");
        var kind = kinds.Count == 0 ? NetworkKind.Explicit : kinds[0] switch
        {
            "synthetic" => NetworkKind.Synthetic,
            "repetita" => NetworkKind.Repetita,
            "graphml" => NetworkKind.GraphMl,
            "rtt_csv" => NetworkKind.RttCsv,
            _ => NetworkKind.Clustered,
        };
        string? path = kind is NetworkKind.Repetita or NetworkKind.GraphMl or NetworkKind.RttCsv
            ? resolve(n.RequireString(kinds[0], "give the file's path, relative to the scenario file"))
            : null;
        if (path is not null && !File.Exists(path))
            throw n.Error(kinds[0], $"file not found: {path}", "check the path (relative paths start at the scenario file's folder)");

        int synthNodes = 20, synthSeed = 1;
        if (n.OptMap("synthetic") is { } syn)
        {
            syn.AllowOnly("nodes", "seed");
            synthNodes = syn.OptInt("nodes", 2) ?? synthNodes;
            synthSeed = syn.OptInt("seed") ?? synthSeed;
        }
        var clusters = new List<ClusterDefinition>();
        double intra = 5, inter = 100, intraBw = 1e9, interBw = 1e8;
        if (n.OptMap("clustered") is { } cl)
        {
            cl.AllowOnly("clusters", "intra_rtt_ms", "inter_rtt_ms", "intra_bandwidth_mbps", "inter_bandwidth_mbps");
            var list = cl.OptList("clusters") ?? throw cl.Error("clusters", "is missing", "list clusters as {name: east, nodes: 4}");
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not YamlMappingNode cm) throw cl.Error(list[i], $"{cl.FieldPath("clusters")}[{i}]", "expected {name, nodes}", "write {name: east, nodes: 4}");
                var c = new YamlFields(cl.File, $"{cl.FieldPath("clusters")}[{i}]", cm);
                c.AllowOnly("name", "nodes");
                clusters.Add(new ClusterDefinition(c.RequireString("name", "name the cluster"), c.OptInt("nodes", 1) ?? 1));
            }
            // The network is a node x node matrix: its size, not each cluster's, is what must stay bounded.
            if (clusters.Sum(c => (long)c.Nodes) > FieldBounds.MaxInt("nodes"))
                throw cl.Error("clusters", $"the clusters hold {clusters.Sum(c => (long)c.Nodes)} nodes in all", $"use at most {FieldBounds.MaxInt("nodes")}");
            intra = cl.OptDouble("intra_rtt_ms", 0) ?? intra;
            inter = cl.OptDouble("inter_rtt_ms", 0) ?? inter;
            intraBw = (cl.OptDouble("intra_bandwidth_mbps", 0, exclusiveMin: true) ?? 1000) * 1e6;
            interBw = (cl.OptDouble("inter_bandwidth_mbps", 0, exclusiveMin: true) ?? 100) * 1e6;
        }
        return new NetworkDefinition(kind, path, synthNodes, synthSeed, clusters, intra, inter, intraBw, interBw,
            n.OptDouble("fibre_route_factor", 1),
            n.OptDouble("per_token_overhead_ms", 0) ?? 100,
            n.OptDouble("first_token_overhead_ms", 0) ?? 67,
            n.OptDouble("first_token_ms_per_prompt_token", 0) ?? 0.7049);
    }

    private static ServersDefinition ParseServers(YamlFields s)
    {
        s.AllowOnly("count", "fraction_of_nodes", "gpus", "nodes", "list");
        var count = s.OptInt("count", 1);
        var fraction = s.OptDouble("fraction_of_nodes", 0, exclusiveMin: true);
        if (count is not null && fraction is not null)
            throw s.Error("fraction_of_nodes", "both count and fraction_of_nodes are given", "keep one of them");
        var mix = new List<GpuShare>();
        if (s.OptMap("gpus") is { } g)
        {
            foreach (var gpu in g.Keys)
            {
                var v = g.OptDouble(gpu, 0, exclusiveMin: true)!.Value;
                var isCount = v >= 1 && Math.Abs(v - Math.Round(v)) < 1e-12;
                mix.Add(isCount ? new GpuShare(gpu, (int)v, null) : new GpuShare(gpu, null, v));
            }
            var fractions = mix.Where(m => m.Fraction is not null).ToList();
            if (fractions.Count > 0 && fractions.Count != mix.Count)
                throw s.Error("gpus", "mixes counts (whole numbers) and fractions", "give every GPU kind a count, or every one a fraction below 1");
            if (fractions.Count > 0 && Math.Abs(fractions.Sum(f => f.Fraction!.Value) - 1) > 1e-6)
                throw s.Error("gpus", $"fractions sum to {fractions.Sum(f => f.Fraction!.Value).ToString("0.###", CultureInfo.InvariantCulture)}", "make the fractions sum to 1");
            if (fractions.Count > 0 && count is null && fraction is null)
                throw s.Error("gpus", "fractions need a total", "add `count:` or `fraction_of_nodes:`");
            if (fractions.Count == 0 && (count is not null || fraction is not null))
                throw s.Error("gpus", "counts per GPU already fix the total", "remove `count`/`fraction_of_nodes`, or give fractions");
        }
        else if (count is not null || fraction is not null)
            throw s.Error("gpus", "is missing", "say which GPU kinds the generated servers have, e.g. gpus: {a100-80gb: 0.2, a100-mig-1g.10gb: 0.8}");

        var nodes = (s.OptList("nodes") ?? []).Select((n, i) => n is YamlScalarNode v && v.Value is { } name ? name
            : throw s.Error(n, $"{s.FieldPath("nodes")}[{i}]", "expected a node name", "write node names as a list")).ToList();

        var list = new List<ServerDefinition>();
        var items = s.OptList("list") ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{s.FieldPath("list")}[{i}]";
            if (items[i] is not YamlMappingNode m) throw s.Error(items[i], path, "expected a server's fields", "write {name: s1, gpu: a100-80gb, node: ...}");
            var f = new YamlFields(s.File, path, m);
            f.AllowOnly("name", "gpu", "node", "memory_gb", "decode_ms_per_block", "prefill_ms_per_token", "prefill_fixed_ms", "max_blocks", "forward_rps", "network_rps", "rtt_ms", "first_token_rtt_ms", "server_rtt_ms");
            var name = f.OptString("name") ?? $"server-{i}";
            if (list.Any(x => x.Name == name)) throw f.Error("name", $"'{name}' is used twice", "give every server a unique name");
            list.Add(new ServerDefinition(
                name,
                f.RequireString("gpu", "name the GPU kind (`stamen catalog gpus`)"),
                f.OptString("node"),
                f.OptDouble("memory_gb", 0, exclusiveMin: true),
                f.OptDouble("decode_ms_per_block", 0, exclusiveMin: true),
                f.OptDouble("prefill_ms_per_token", 0),
                f.OptDouble("prefill_fixed_ms", 0),
                f.OptInt("max_blocks", 1),
                f.OptDouble("forward_rps", 0, exclusiveMin: true),
                f.OptDouble("network_rps", 0, exclusiveMin: true),
                f.OptNumberMap("rtt_ms") ?? new Dictionary<string, double>(),
                f.OptNumberMap("first_token_rtt_ms") ?? new Dictionary<string, double>(),
                f.OptNumberMap("server_rtt_ms") ?? new Dictionary<string, double>()));
        }
        if (list.Count == 0 && mix.Count == 0)
            throw s.Error("list", "no servers are defined", "add `list:` of servers or a GPU mix under `gpus:`");
        return new ServersDefinition(count, fraction, mix, nodes, list);
    }

    private static List<ClientDefinition> ParseClients(YamlFields y)
    {
        var items = y.OptList("clients") ?? throw y.Error("clients", "is missing", "list clients, e.g. clients: [{name: user, node: random}]");
        if (items.Count == 0) throw y.Error("clients", "is empty", "list at least one client");
        var result = new List<ClientDefinition>();
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"clients[{i}]";
            if (items[i] is not YamlMappingNode m) throw y.Error(items[i], path, "expected a client's fields", "write {name: user, node: random}");
            var f = new YamlFields(y.File, path, m);
            f.AllowOnly("name", "node", "weight");
            var name = f.OptString("name") ?? $"client-{i}";
            if (result.Any(c => c.Name == name)) throw f.Error("name", $"'{name}' is used twice", "give every client a unique name");
            var node = f.OptString("node");
            result.Add(new ClientDefinition(name, node is null || node == "random" ? null : node, f.OptDouble("weight", 0, exclusiveMin: true) ?? 1));
        }
        return result;
    }

    private static WorkloadDefinition ParseWorkload(YamlFields w, Func<string?, string?> resolve)
    {
        w.AllowOnly("poisson", "trace", "arrivals", "planning_rate_per_s");
        var kinds = WorkloadSources.Where(w.Has).ToList();
        if (kinds.Count != 1)
            throw w.Error(kinds.Count == 0 ? "poisson" : kinds[1], kinds.Count == 0 ? "no workload is given" : "more than one workload is given", "give exactly one of poisson:, trace:, arrivals:");
        if (w.OptMap("poisson") is { } p)
        {
            p.AllowOnly("rate_per_s", "requests", "prompt_tokens", "output_tokens");
            return new PoissonWorkloadDefinition(
                p.OptDouble("rate_per_s", 0, exclusiveMin: true) ?? throw p.Error("rate_per_s", "is missing", "give the arrival rate in requests per second, e.g. 0.5"),
                p.OptInt("requests", 1) ?? 100,
                ParseTokens(p, "prompt_tokens", 20),
                ParseTokens(p, "output_tokens", 64));
        }
        if (w.OptMap("trace") is { } t)
        {
            t.AllowOnly("path", "limit", "time_scale");
            var path = resolve(t.RequireString("path", "give the CSV path, relative to the scenario file"))!;
            if (!File.Exists(path)) throw t.Error("path", $"file not found: {path}", "check the path (relative paths start at the scenario file's folder)");
            return new TraceWorkloadDefinition(path, t.OptInt("limit", 1), t.OptDouble("time_scale", 0, exclusiveMin: true) ?? 1.0);
        }
        var list = w.OptList("arrivals")!;
        var arrivals = new List<ExplicitArrival>();
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"workload.arrivals[{i}]";
            if (list[i] is not YamlMappingNode m) throw w.Error(list[i], path, "expected an arrival's fields", "write {at_s: 0.5, prompt_tokens: 20, output_tokens: 64}");
            var f = new YamlFields(w.File, path, m);
            f.AllowOnly("at_s", "prompt_tokens", "output_tokens", "client");
            var at = f.OptDouble("at_s", 0) ?? throw f.Error("at_s", "is missing", "give the arrival time in seconds");
            if (arrivals.Count > 0 && at < arrivals[^1].AtSec) throw f.Error("at_s", "arrivals are not in time order", "sort the arrivals by at_s");
            arrivals.Add(new ExplicitArrival(at, f.OptInt("prompt_tokens", 1) ?? 20, f.OptInt("output_tokens", 1) ?? 64, f.OptString("client")));
        }
        if (arrivals.Count == 0) throw w.Error("arrivals", "is empty", "list at least one arrival");
        return new ExplicitWorkloadDefinition(arrivals);
    }

    /// <summary>Token counts: a number, {uniform: [min, max]} or {choice: [a, b, ...]}.</summary>
    internal static TokenCountDistribution ParseTokens(YamlFields p, string key, int fallback)
    {
        var node = p.Find(key);
        if (node is null) return new FixedTokenCount(fallback);
        if (node is YamlScalarNode) return new FixedTokenCount(p.OptInt(key, 1)!.Value);
        var m = p.OptMap(key)!;
        m.AllowOnly("uniform", "choice");
        var (kind, list) = m.OptList("uniform") is { } u ? ("uniform", u) : ("choice", m.OptList("choice") ?? throw m.Error("uniform", "is missing", "write a number, {uniform: [min, max]} or {choice: [a, b]}"));
        var most = FieldBounds.MaxInt(key);
        var values = list.Select((n, i) => n is YamlScalarNode s && int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 1 && v <= most
            ? v : throw m.Error(n, $"{m.FieldPath(kind)}[{i}]", $"expected a whole number in 1..{most}", "write token counts such as 64")).ToList();
        if (values.Count > 100_000) throw m.Error(kind, $"lists {values.Count} token counts", "list at most 100,000");
        if (kind == "uniform")
        {
            if (values.Count != 2 || values[0] > values[1]) throw m.Error("uniform", "expected [min, max] with min <= max", "write uniform: [16, 128]");
            return new UniformTokenCount(values[0], values[1]);
        }
        if (values.Count == 0) throw m.Error("choice", "is empty", "list at least one token count");
        return new ChoiceTokenCount(values);
    }

    private static DelaysDefinition ParseDelays(YamlFields? d)
    {
        if (d is null) return DelaysDefinition.None;
        d.AllowOnly("preset", "session_start_ms", "allocation_ms");
        var preset = d.OptString("preset") ?? "none";
        if (preset is not ("none" or "published" or "off"))
            throw d.Error("preset", $"unknown preset '{preset}'",
                "use `published` (reference section 1: 70 ms start, 250 s PETALS / 60 s CG-BP allocation), `none` or `off` (none for any algorithm, the *-published ones included)");
        if (preset == "off")
        {
            d.AllowOnly("preset");
            return DelaysDefinition.None with { Off = true };
        }
        var published = preset == "published";
        return new DelaysDefinition(
            d.OptDouble("session_start_ms", 0) ?? (published ? 70 : 0),
            published,
            d.OptNumberMap("allocation_ms") ?? new Dictionary<string, double>());
    }

    private static List<AlgorithmChoice> ParseAlgorithms(YamlFields y)
    {
        var items = y.OptList("algorithms") ?? throw y.Error("algorithms", "is missing", "list algorithms to compare (`stamen catalog algorithms`), e.g. [petals, cg-bp+ws-rr]");
        var result = new List<AlgorithmChoice>();
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"algorithms[{i}]";
            AlgorithmChoice choice;
            if (items[i] is YamlScalarNode s && s.Value is { Length: > 0 } name)
                choice = AlgorithmChoice.Named(name) with { Field = $"{path} (line {s.Start.Line})" };
            else if (items[i] is YamlMappingNode m)
            {
                var f = new YamlFields(y.File, path, m);
                f.AllowOnly("name", "base", "placement", "routing", "admission", "fixed_delays");
                choice = new AlgorithmChoice(f.RequireString("name", "name this algorithm"), f.OptString("base"),
                    ParsePart(f, "placement"), ParsePart(f, "routing"), ParsePart(f, "admission"), f.OptString("fixed_delays"),
                    $"{path} (line {m.Start.Line})");
            }
            else throw y.Error(items[i], path, "expected an algorithm name or {name, base, placement, routing, admission, fixed_delays}", "write a catalog name such as petals");
            if (result.Any(a => a.Name == choice.Name)) throw y.Error(items[i], path, $"'{choice.Name}' is listed twice", "list each algorithm once");
            result.Add(choice);
        }
        if (result.Count == 0) throw y.Error("algorithms", "is empty", "list at least one algorithm");
        return result;
    }

    /// <summary>
    /// A part of an algorithm: a catalog name (<c>placement: petals</c>) or a map of a name and its
    /// options (<c>placement: {name: petals, rebalance: false}</c>; without a name, the base
    /// algorithm's part). Options are checked against the catalog later, all at once.
    /// </summary>
    private static PartChoice? ParsePart(YamlFields f, string key)
    {
        var node = f.Find(key);
        var field = f.FieldPath(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode s:
                return new PartChoice(s.Value is { Length: > 0 } v ? v : throw f.Error(key, "is empty", $"name a catalog entry (`stamen catalog {key}s`)"), [],
                    $"{field} (line {s.Start.Line})");
            case YamlMappingNode m:
                var part = new YamlFields(f.File, field, m);
                var name = part.Find("name") switch
                {
                    null => null,
                    YamlScalarNode ns when ns.Value is { Length: > 0 } nv => nv,
                    var other => throw f.Error(other, $"{field}.name", "expected a catalog name", $"write name: followed by an entry of `stamen catalog {key}s`"),
                };
                var options = part.RawOptions("name");
                return new PartChoice(name, options, $"{field} (line {m.Start.Line})");
            default:
                throw f.Error(key, "expected a catalog name or {name, options...}", $"write {key}: NAME or {key}: {{name: NAME, option: value}}");
        }
    }
}
