using System.Globalization;
using Stamen.Adapters;
using Stamen.Simulation.Engine;
using YamlDotNet.RepresentationModel;

namespace Stamen.Scenarios.Engine;

/// <summary>A scenario's <c>lora:</c> section resolved: engine settings, adapter rates for generated arrivals, and how KV capacity follows from slots.</summary>
/// <param name="RatesPerSec">Per-adapter arrival rates for <c>workload.per_adapter</c>; null when no adapter gives one.</param>
/// <param name="KvCapacityTokens">KV capacity per instance with the adapter slots preallocated, or null to keep the scenario's.</param>
internal sealed record ParsedLora(LoraEngineSettings Settings, IReadOnlyList<double>? RatesPerSec, long? KvCapacityTokens, string KvLabel);

/// <summary>
/// Reads a scenario's <c>lora:</c> section: the adapters (listed, or generated with ranks and uniform or
/// Zipf rates), slots, and the published costs of the model's LoRA profile, each of which can be replaced
/// by numbers or switched off.
/// </summary>
internal static class EngineLoraParser
{
    /// <summary>Most adapters a scenario may serve: ten times the largest published grid (1,000), and what placement finishes in minutes.</summary>
    public const int MaxAdapters = 10_000;

    public static ParsedLora Parse(YamlFields l, EngineConfig config, bool capacityGiven)
    {
        l.AllowOnly("max_loras", "max_lora_rank", "max_cpu_loras", "disk_load_ms", "overhead", "load_cost", "kv_capacity", "scheduler_overhead", "adapters", "generate");
        var (adapters, rates) = ParseAdapters(l);
        var maxLoras = l.OptInt("max_loras", 1) ?? throw l.Error("max_loras", "is missing", "give the GPU adapter slots (vLLM's max_loras), e.g. 8");
        var largestRank = adapters.Max(a => a.Rank);
        var maxRank = l.OptInt("max_lora_rank", 1) ?? largestRank;
        if (maxRank < largestRank)
            throw l.Error("max_lora_rank", $"{maxRank} is below the largest adapter rank {largestRank}", $"raise it to {largestRank} or more, or leave it out");
        var cpu = l.OptInt("max_cpu_loras", 1);
        if (cpu is { } c && c < maxLoras) throw l.Error("max_cpu_loras", $"{c} is below max_loras {maxLoras}", "hold at least max_loras adapters in CPU memory, or leave it out");
        LoraProfileCatalog.BuiltIn.TryFind(config.Model.Name, out var profile);

        var overhead = Choice(l, "overhead", profile, p => new LoraOverhead(p.Overhead.K1, p.Overhead.K2), m =>
        {
            m.AllowOnly("k1", "k2");
            return new LoraOverhead(m.OptDouble("k1", 0) ?? throw m.Error("k1", "is missing", "give k1 (percent per distinct adapter)"),
                m.OptDouble("k2", 0, exclusiveMin: true) ?? throw m.Error("k2", "is missing", "give k2 (percent, 100 = no fixed overhead)"));
        });
        var loadCost = Choice(l, "load_cost", profile, p => (IReadOnlyDictionary<int, double>)Wrap(l, "load_cost", () => p.LoadCostsFor(adapters.Select(a => a.Rank), maxRank)), m =>
        {
            var table = new Dictionary<int, double>();
            foreach (var key in m.Keys)
            {
                if (!int.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var rank) || rank < 1)
                    throw m.Error(key, $"'{key}' is not an adapter rank", "key the table by adapter rank, e.g. {8: 6.6, 16: 7.8}");
                table[rank] = m.OptDouble(key, 0)!.Value;
            }
            return (IReadOnlyDictionary<int, double>)table;
        }) ?? new Dictionary<int, double>();

        var settings = new LoraEngineSettings(adapters, maxLoras, maxRank, loadCost, overhead, cpu, l.OptDouble("disk_load_ms", 0) ?? 0)
        {
            SchedulerOverhead = SchedulerOverheadOf(l, config, profile),
        };
        var (capacity, label) = capacityGiven ? (null, "given") : KvCapacity(l, config, profile, maxLoras, maxRank);
        return new ParsedLora(settings, rates, capacity, label);
    }

    /// <summary>
    /// <c>scheduler_overhead: published</c> (the default where the model's LoRA profile publishes one: Llama-3.1-8B),
    /// <c>none</c> (the default elsewhere), or every constant:
    /// <c>{running: [a_s, min, max], waiting: [...], waiting_share: [...], baseline_s: ...}</c>.
    /// </summary>
    private static SchedulerOverhead? SchedulerOverheadOf(YamlFields l, EngineConfig config, LoraProfile? profile)
    {
        if (l.Find("scheduler_overhead") is YamlMappingNode)
        {
            var m = l.OptMap("scheduler_overhead")!;
            m.AllowOnly("running", "waiting", "waiting_share", "baseline_s");
            ScaledTerm Term(string key)
            {
                var values = (m.OptList(key) ?? throw m.Error(key, "is missing", $"give [coefficient_s, min, max], e.g. {key}: [0.004373, 0.23, 1081.4]"))
                    .Select((n, i) => n is YamlScalarNode v && double.TryParse(v.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d
                        : throw m.Error(n, $"{m.FieldPath(key)}[{i}]", "expected a number", "write [coefficient_s, min, max]")).ToList();
                if (values.Count != 3 || !(values[2] > values[1]))
                    throw m.Error(key, "expected [coefficient_s, min, max] with max above min", "write three numbers, e.g. [0.004373, 0.23, 1081.4]");
                return new ScaledTerm(values[0], values[1], values[2]);
            }
            return new SchedulerOverhead(Term("running"), Term("waiting"), Term("waiting_share"),
                m.OptDouble("baseline_s") ?? throw m.Error("baseline_s", "is missing", "give the fitted baseline in seconds"));
        }
        var word = l.OptString("scheduler_overhead")?.Trim().ToLowerInvariant();
        switch (word)
        {
            case null:
                return profile?.SchedulerOverhead;
            case "none":
                return null;
            case "published" when profile?.SchedulerOverhead is { } published:
                return published;
            case "published":
                throw l.Error("scheduler_overhead", $"no scheduler overhead is published for {config.Model.Name}",
                    "use none, or give every constant: {running: [a_s, min, max], waiting: [...], waiting_share: [...], baseline_s: ...}");
            default:
                throw l.Error("scheduler_overhead", $"'{word}' is not none, published or a mapping", "write none, published, or the constants");
        }
    }

    private static (long?, string) KvCapacity(YamlFields l, EngineConfig config, LoraProfile? profile, int slots, int maxRank)
    {
        var mode = l.OptString("kv_capacity")?.Trim().ToLowerInvariant();
        if (mode is not (null or "published" or "memory"))
            throw l.Error("kv_capacity", $"unknown mode '{mode}'", "use published (the measured vLLM table) or memory (GPU memory minus the adapter slots' buffers)");
        var capacity = Wrap(l, "max_loras", () => LoraKvCapacity.Resolve(profile, config, slots, maxRank, memoryOnly: mode == "memory"));
        if (mode == "published" && capacity.Source == KvCapacitySource.Memory)
            throw l.Error("kv_capacity", $"no published capacity for {config.Model.Name} on {config.Gpu.Name} at max_lora_rank {maxRank}",
                "use kv_capacity: memory, or give kv.capacity_tokens");
        return (capacity.Tokens, capacity.Label);
    }

    /// <summary><c>key: published</c> (the default when the model has a profile), <c>none</c>, or a mapping of numbers.</summary>
    private static T? Choice<T>(YamlFields l, string key, LoraProfile? profile, Func<LoraProfile, T> published, Func<YamlFields, T> custom) where T : class
    {
        if (l.Find(key) is YamlMappingNode) return custom(l.OptMap(key)!);
        var word = l.OptString(key)?.Trim().ToLowerInvariant();
        switch (word)
        {
            case "none":
                return null;
            case null or "published":
                if (profile is not null) return published(profile);
                if (word is null) return null;
                throw l.Error(key, "no LoRA profile is published for this model", $"use none or give the numbers (profiles exist for {string.Join(", ", LoraProfileCatalog.BuiltIn.Names)})");
            default:
                throw l.Error(key, $"'{word}' is not published, none or a mapping", "write published, none, or the numbers");
        }
    }

    private static T Wrap<T>(YamlFields l, string key, Func<T> lookup)
    {
        try
        {
            return lookup();
        }
        catch (StamenInputException e)
        {
            throw l.Error(key, e.Problem, e.Fix);
        }
    }

    internal static (IReadOnlyList<LoraAdapter> Adapters, IReadOnlyList<double>? Rates) ParseAdapters(YamlFields l)
    {
        if (l.Has("adapters") == l.Has("generate"))
            throw l.Error(l.Has("adapters") ? "generate" : "adapters", l.Has("adapters") ? "both adapters and generate are given" : "no adapters are given",
                "list adapters: [{name: a, rank: 8, rate_per_s: 0.5}] or generate: {count: 100, ranks: [8, 16, 32], rate_per_s: 0.05}");
        if (l.OptMap("generate") is { } g) return Generate(g);
        var list = l.OptList("adapters")!;
        if (list.Count == 0) throw l.Error("adapters", "is empty", "list at least one adapter");
        var adapters = new List<LoraAdapter>();
        var rates = new List<double>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (list.Count > MaxAdapters) throw l.Error("adapters", $"lists {list.Count} adapters", $"list at most {MaxAdapters}");
        for (var i = 0; i < list.Count; i++)
        {
            var path = l.FieldPath($"adapters[{i}]");
            if (list[i] is not YamlMappingNode node) throw l.Error(list[i], path, "expected a mapping", "write {name: a, rank: 8, rate_per_s: 0.5}");
            var a = new YamlFields(l.File, path, node);
            a.AllowOnly("name", "rank", "rate_per_s");
            var name = a.RequireString("name", "name the adapter as the trace's adapter column does");
            if (!names.Add(name)) throw a.Error("name", $"adapter '{name}' is listed twice", "give each adapter its own name");
            adapters.Add(new LoraAdapter(name, a.OptInt("rank", 1) ?? throw a.Error("rank", "is missing", "give the LoRA rank, e.g. 8")));
            rates.Add(a.OptDouble("rate_per_s", 0) ?? double.NaN);
        }
        if (rates.All(double.IsNaN)) return (adapters, null);
        var missing = rates.FindIndex(double.IsNaN);
        if (missing >= 0) throw l.Error(list[missing], l.FieldPath($"adapters[{missing}].rate_per_s"), "is missing while other adapters give one", "give every adapter a rate_per_s, or none");
        return (adapters, rates);
    }

    private static (IReadOnlyList<LoraAdapter>, IReadOnlyList<double>) Generate(YamlFields g)
    {
        g.AllowOnly("count", "ranks", "rate_per_s", "zipf");
        var count = g.OptInt("count", 1, max: MaxAdapters) ?? throw g.Error("count", "is missing", "give the number of adapters, e.g. 100");
        var rankNodes = g.OptList("ranks") ?? throw g.Error("ranks", "is missing", "list ranks to cycle through, e.g. [8, 16, 32]");
        var ranks = new List<int>();
        foreach (var node in rankNodes)
            ranks.Add(node is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) && r >= 1
                ? r
                : throw g.Error(node, g.FieldPath("ranks"), "expected positive whole numbers", "write e.g. [8, 16, 32]"));
        if (ranks.Count == 0) throw g.Error("ranks", "is empty", "list at least one rank");
        if (g.Has("rate_per_s") == g.Has("zipf"))
            throw g.Error("rate_per_s", "give exactly one of rate_per_s (uniform) and zipf", "write rate_per_s: 0.05 or zipf: {total_per_s: 10, exponent: 1}");
        double[] rates;
        if (g.OptDouble("rate_per_s", 0, exclusiveMin: true) is { } each) rates = Workload.AdapterPoissonWorkload.UniformRates(count, each);
        else
        {
            var z = g.OptMap("zipf")!;
            z.AllowOnly("total_per_s", "exponent");
            rates = Workload.AdapterPoissonWorkload.ZipfRates(count,
                z.OptDouble("total_per_s", 0, exclusiveMin: true) ?? throw z.Error("total_per_s", "is missing", "give the total rate over all adapters"),
                z.OptDouble("exponent", 0) ?? 1.0);
        }
        var adapters = Enumerable.Range(0, count)
            .Select(i => new LoraAdapter(string.Create(CultureInfo.InvariantCulture, $"adapter-{i:D3}"), ranks[i % ranks.Count])).ToArray();
        return (adapters, rates);
    }
}
