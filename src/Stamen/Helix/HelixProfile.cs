using System.Globalization;
using System.Text.Json;
using Stamen.IO;
using Stamen.Performance;

namespace Stamen.Helix;

/// <summary>
/// What Helix knows about one machine type serving one model: per-layer batch times, the most layers it
/// may hold, and, by layers held, vLLM's KV blocks (16 tokens each) and the batch caps Helix's planner
/// used (<c>profiles/MODEL/GPU/*.csv</c> and <c>profiles/machine_settings.json</c>).
/// </summary>
public sealed record HelixGpuProfile(
    string Machine,
    BatchTimeTable Decode,
    BatchTimeTable Prompt,
    int MaxLayers,
    IReadOnlyDictionary<int, long> KvBlocksByLayers,
    IReadOnlyDictionary<int, int> PromptMaxRequestsByLayers,
    IReadOnlyDictionary<int, int> DecodeMaxTokensByLayers)
{
    /// <summary>Tokens per vLLM KV block.</summary>
    public const int TokensPerKvBlock = 16;

    /// <summary>KV cache capacity in tokens when holding <paramref name="layers"/> layers (0 if it cannot hold them).</summary>
    public long KvTokens(int layers) => KvBlocksByLayers.TryGetValue(layers, out var b) ? b * TokensPerKvBlock : 0;

    /// <summary>Helix's prompt batch cap in tokens: 3 prompts of up to 2,048 tokens.</summary>
    public const int PromptMaxTokens = 3 * 2048;

    /// <summary>
    /// The profile as the batching twin reads it, for up to <paramref name="modelLayers"/> layers. Past
    /// <see cref="MaxLayers"/> (Helix's rule that weights use at most half the VRAM; its own separate-pipelines
    /// baseline goes past it), the KV capacity in token-layers continues the straight line fitted to the
    /// published ones (they fall by the same amount per layer added, as memory left after weights does) and
    /// the batch caps stay at their values for <see cref="MaxLayers"/>, as Helix's simulator keeps them.
    /// </summary>
    public ServerBatchProfile ToBatchProfile(int modelLayers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(modelLayers, 1);
        var top = Math.Max(modelLayers, MaxLayers);
        var kv = new long[top + 1];
        var decodeMax = new int[top + 1];
        var (intercept, slope) = KvLine();
        for (var k = 1; k <= top; k++)
        {
            kv[k] = k <= MaxLayers ? KvTokens(k) * k : Math.Max(0, (long)Math.Floor(intercept + slope * k));
            decodeMax[k] = DecodeMaxTokensByLayers[Math.Min(k, MaxLayers)];
        }
        return new ServerBatchProfile(Machine, Decode, Prompt, kv, decodeMax, PromptMaxRequestsByLayers[1], PromptMaxTokens);
    }

    /// <summary>Least-squares line through (k, KV token-layers at k).</summary>
    private (double Intercept, double Slope) KvLine()
    {
        if (MaxLayers == 1) return (KvTokens(1), 0);
        double n = MaxLayers, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var k = 1; k <= MaxLayers; k++)
        {
            double y = KvTokens(k) * (double)k;
            sx += k;
            sy += y;
            sxx += (double)k * k;
            sxy += k * y;
        }
        var slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return ((sy - slope * sx) / n, slope);
    }
}

/// <summary>The profiles of every machine type for one model.</summary>
public sealed class HelixProfiles
{
    private readonly Dictionary<string, HelixGpuProfile> _byMachine;

    public HelixProfiles(string model, IEnumerable<HelixGpuProfile> profiles)
    {
        Model = model;
        _byMachine = profiles.ToDictionary(p => p.Machine, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Helix's model directory name (<c>llama2_70b</c>, <c>llama1_30b</c>).</summary>
    public string Model { get; }

    public IReadOnlyCollection<HelixGpuProfile> All => _byMachine.Values;

    /// <summary>The profile of a machine type, or an input error naming the types known.</summary>
    public HelixGpuProfile For(string machine, string file, string field) =>
        _byMachine.TryGetValue(machine, out var p) ? p
            : throw new StamenInputException(file, field, $"no {Model} profile for machine type '{machine}'",
                $"use one of {string.Join(", ", _byMachine.Keys.Order(StringComparer.Ordinal))}");

    public const long MaxFileBytes = 16L * 1024 * 1024;

    /// <summary>
    /// Reads <paramref name="directory"/>/<paramref name="model"/>/GPU/{decode,prompt}_bs2time.csv for every machine
    /// <paramref name="directory"/>/machine_settings.json lists for the model.
    /// </summary>
    public static HelixProfiles Load(string directory, string model)
    {
        var settingsFile = Path.Combine(directory, "machine_settings.json");
        var text = BoundedFile.ReadAllText(settingsFile, MaxFileBytes, "Helix machine settings");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new StamenInputException(settingsFile, "(file)", $"not JSON: {e.Message}", "give Helix's machine_settings.json");
        }
        var profiles = new List<HelixGpuProfile>();
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new StamenInputException(settingsFile, "(root)", "not a list", "give a list of {model, gpu_dir, machine, ...} entries");
            var index = 0;
            foreach (var entry in doc.RootElement.EnumerateArray())
            {
                var at = $"[{index++}]";
                if (entry.ValueKind != JsonValueKind.Object || Text(entry, "model", settingsFile, at) != model) continue;
                var gpuDir = Text(entry, "gpu_dir", settingsFile, at);
                if (gpuDir.Length == 0 || gpuDir.IndexOfAny(['/', '\\']) >= 0 || gpuDir.Contains("..", StringComparison.Ordinal))
                    throw new StamenInputException(settingsFile, $"{at}.gpu_dir", $"'{gpuDir}' is not a plain directory name", "name a directory beside the file, e.g. a100");
                var dir = Path.Combine(directory, model, gpuDir);
                var decodeFile = Path.Combine(dir, "decode_bs2time.csv");
                var promptFile = Path.Combine(dir, "prompt_bs2time.csv");
                var maxLayers = (int)Whole(entry, "max_num_layers", settingsFile, at, 1, 10_000);
                profiles.Add(new HelixGpuProfile(
                    Text(entry, "machine", settingsFile, at),
                    BatchTimeTable.Parse(BoundedFile.ReadAllText(decodeFile, MaxFileBytes, "Helix decode profile"), decodeFile),
                    BatchTimeTable.Parse(BoundedFile.ReadAllText(promptFile, MaxFileBytes, "Helix prompt profile"), promptFile),
                    maxLayers,
                    ByLayers(entry, "vllm_num_blocks_by_layers", settingsFile, at, maxLayers, v => v),
                    ByLayers(entry, "prompt_max_requests_by_layers", settingsFile, at, maxLayers, v => (int)v),
                    ByLayers(entry, "decode_max_tokens_by_layers", settingsFile, at, maxLayers, v => (int)v)));
            }
        }
        if (profiles.Count == 0)
            throw new StamenInputException(settingsFile, "model", $"no entries for model '{model}'", "name a model the file lists, e.g. llama2_70b");
        return new HelixProfiles(model, profiles);
    }

    private static string Text(JsonElement entry, string key, string file, string at) =>
        entry.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
            : throw new StamenInputException(file, $"{at}.{key}", "missing or not text", $"give {key} as a string");

    private static long Whole(JsonElement entry, string key, string file, string at, long min, long max) =>
        entry.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= min && n <= max ? n
            : throw new StamenInputException(file, $"{at}.{key}", $"missing or not a whole number in {min}..{max}", $"give {key} as a number");

    private static Dictionary<int, T> ByLayers<T>(JsonElement entry, string key, string file, string at, int maxLayers, Func<long, T> convert)
    {
        if (!entry.TryGetProperty(key, out var map) || map.ValueKind != JsonValueKind.Object)
            throw new StamenInputException(file, $"{at}.{key}", "missing or not a map", "give {\"1\": value, ...} by layers held");
        var result = new Dictionary<int, T>();
        foreach (var p in map.EnumerateObject())
        {
            if (!int.TryParse(p.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var layers) || layers < 1 || layers > maxLayers)
                throw new StamenInputException(file, $"{at}.{key}.{p.Name}", $"not a layer count in 1..{maxLayers} (max_num_layers)", "key the map by layers held");
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out var n) || n < 0 || n > int.MaxValue)
                throw new StamenInputException(file, $"{at}.{key}.{p.Name}", "not a whole number of 0 or more", "give a count");
            result[layers] = convert(n);
        }
        for (var k = 1; k <= maxLayers; k++)
            if (!result.ContainsKey(k))
                throw new StamenInputException(file, $"{at}.{key}", $"no value for {k} layers", $"give values for 1..{maxLayers} layers");
        return result;
    }
}
