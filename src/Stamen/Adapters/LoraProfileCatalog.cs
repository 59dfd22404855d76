using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Stamen.Catalogs;
using Stamen.Simulation.Engine;

namespace Stamen.Adapters;

/// <summary>
/// LoRA profiles by model name (case-insensitive), from the YAML shipped in Catalogs/lora.yaml.
/// Every table is validated here, once, so <see cref="LoraProfile"/> lookups can trust them.
/// </summary>
public sealed class LoraProfileCatalog
{
    /// <summary>How errors name the embedded profiles.</summary>
    public const string BuiltInSource = "(built-in LoRA profiles)";

    private static readonly Lazy<LoraProfileCatalog> BuiltInCatalog =
        new(() => Parse(CatalogYaml.ReadEmbedded("lora.yaml"), BuiltInSource));

    private readonly Dictionary<string, LoraProfile> _profiles;

    private LoraProfileCatalog(Dictionary<string, LoraProfile> profiles) => _profiles = profiles;

    /// <summary>The profiles shipped with Stamen (vLLM 0.8.5 on an H100).</summary>
    public static LoraProfileCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>Model names with a profile, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _profiles.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    public bool TryFind(string modelName, [NotNullWhen(true)] out LoraProfile? profile) =>
        _profiles.TryGetValue(modelName.Trim(), out profile);

    /// <summary>Profiles in <paramref name="yaml"/>; <paramref name="source"/> names it in errors.</summary>
    internal static LoraProfileCatalog Parse(string yaml, string source)
    {
        var file = CatalogYaml.Parse<LoraCatalogFile>(yaml, source);
        var profiles = new Dictionary<string, LoraProfile>(StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < file.Profiles.Count; k++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"profiles[{k}].");
            var profile = ToProfile(file.Profiles[k], source, at);
            if (!profiles.TryAdd(profile.ModelName, profile))
                throw new StamenInputException(source, at + "name", $"'{profile.ModelName}' appears twice", "keep one entry per name");
        }
        return new LoraProfileCatalog(profiles);
    }

    private static LoraProfile ToProfile(LoraProfileEntry e, string source, string at)
    {
        var name = CatalogYaml.Name(e.Name, source, at + "name");
        var overhead = e.Overhead ?? throw new StamenInputException(source, at + "overhead", "missing", "add overhead: {k1: ..., k2: ...}");
        var k1 = CatalogYaml.Required(overhead.K1, source, at + "overhead.k1");
        if (!(k1 >= 0) || double.IsInfinity(k1))
            throw new StamenInputException(source, at + "overhead.k1", "must be a non-negative number", "use 0 or more");
        var k2 = CatalogYaml.Positive(overhead.K2, source, at + "overhead.k2");
        return new LoraProfile(name, LoadCosts(e.LoadCostMs, source, at + "load_cost_ms"), (k1, k2),
            [.. e.KvCapacity.OrderBy(c => c.Key).Select(c => Curve(c.Key, c.Value, source, Inv($"{at}kv_capacity.{c.Key}")))])
        {
            SchedulerOverhead = e.SchedulerOverhead is { } o ? Overhead(o, source, at + "scheduler_overhead") : null,
        };
    }

    private static SchedulerOverhead Overhead(SchedulerOverheadEntry e, string source, string at)
    {
        ScaledTerm Term(List<double> v, string key) => v.Count == 3 && v.All(double.IsFinite) && v[2] > v[1]
            ? new ScaledTerm(v[0], v[1], v[2])
            : throw new StamenInputException(source, $"{at}.{key}", "expected [coefficient_s, min, max] with max above min", "write three finite numbers");
        var overhead = new SchedulerOverhead(Term(e.Running, "running"), Term(e.Waiting, "waiting"), Term(e.WaitingShare, "waiting_share"),
            e.BaselineS is { } b && double.IsFinite(b) ? b : throw new StamenInputException(source, at + ".baseline_s", "missing or not a number", "give the fitted baseline in seconds"));
        return overhead;
    }

    private static Dictionary<int, IReadOnlyDictionary<int, double>> LoadCosts(
        Dictionary<int, Dictionary<int, double>> table, string source, string at)
    {
        var rows = new Dictionary<int, IReadOnlyDictionary<int, double>>();
        foreach (var (maxRank, row) in table)
        {
            var rowAt = Inv($"{at}.{maxRank}");
            CatalogYaml.Positive(maxRank, source, rowAt);
            // vLLM pads every slot to the max rank, so a row always has an adapter that fills it;
            // requiring it means a lookup with adapter rank <= max rank never misses.
            if (!row.ContainsKey(maxRank))
                throw new StamenInputException(source, rowAt, Inv($"no entry for adapter rank {maxRank}"), "list the cost of an adapter as large as the max rank");
            foreach (var (rank, ms) in row)
            {
                var cellAt = Inv($"{rowAt}.{rank}");
                if (rank < 1 || rank > maxRank)
                    throw new StamenInputException(source, cellAt, Inv($"adapter rank must be in [1, {maxRank}]"), "remove the entry or fix its rank");
                CatalogYaml.Positive(ms, source, cellAt);
            }
            rows[maxRank] = new Dictionary<int, double>(row);
        }
        return rows;
    }

    private static KvCapacityCurve Curve(int maxRank, KvCapacityEntry e, string source, string at)
    {
        CatalogYaml.Positive(maxRank, source, at);
        if (e.Points.Count < 2)
            throw new StamenInputException(source, at + ".points", "needs at least two points", "give two or more {slots, tokens} measurements");
        var points = new List<KvCapacityPoint>(e.Points.Count);
        for (var i = 0; i < e.Points.Count; i++)
        {
            var pointAt = Inv($"{at}.points[{i}].");
            var point = new KvCapacityPoint(
                CatalogYaml.Positive(e.Points[i].Slots, source, pointAt + "slots"),
                CatalogYaml.Required(e.Points[i].Tokens, source, pointAt + "tokens"));
            if (point.Tokens < 1)
                throw new StamenInputException(source, pointAt + "tokens", "must be at least 1", "give the measured capacity");
            // Interpolation stays monotone only if the published points are: more slots never free memory.
            if (i > 0 && (point.Slots <= points[^1].Slots || point.Tokens > points[^1].Tokens))
                throw new StamenInputException(source, pointAt + "slots", "points must go up in slots and not up in tokens",
                    "sort the points by slots and check the measurements");
            points.Add(point);
        }
        int? fails = null;
        if (e.FailsAtSlots is not null)
        {
            fails = CatalogYaml.Positive(e.FailsAtSlots, source, at + ".fails_at_slots");
            if (fails <= points[^1].Slots)
                throw new StamenInputException(source, at + ".fails_at_slots", Inv($"must exceed the last working point ({points[^1].Slots} slots)"),
                    "drop points that fail, or fix fails_at_slots");
        }
        return new KvCapacityCurve(maxRank, points, fails);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
