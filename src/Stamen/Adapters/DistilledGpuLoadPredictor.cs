using System.Text.Json;
using System.Text.Json.Nodes;
using Stamen.IO;
using Stamen.Learning;

namespace Stamen.Adapters;

/// <summary>
/// The distilled predictor: a regression model for throughput and a classifier for starvation, both on
/// <see cref="GpuLoadFeatures"/>, trained on twin data (`stamen adapters train`). Thousands of times faster
/// than running the twin, at the accuracy `train` reports.
/// </summary>
public sealed class DistilledGpuLoadPredictor : IGpuLoadPredictor
{
    private readonly TabularModel _throughput;
    private readonly TabularModel _starvation;
    private readonly double _meanPromptTokens;
    private readonly double _meanOutputTokens;

    public DistilledGpuLoadPredictor(string name, TabularModel throughput, TabularModel starvation, double meanPromptTokens, double meanOutputTokens)
    {
        ArgumentNullException.ThrowIfNull(throughput);
        ArgumentNullException.ThrowIfNull(starvation);
        if (throughput.Task != TreeTask.Regression || starvation.Task != TreeTask.Classification)
            throw new ArgumentException("Throughput needs a regression model and starvation a classifier.");
        Name = name;
        _throughput = throughput;
        _starvation = starvation;
        _meanPromptTokens = meanPromptTokens;
        _meanOutputTokens = meanOutputTokens;
    }

    public string Name { get; }

    public GpuLoadPrediction Predict(IReadOnlyList<AdapterDemand> adapters, int slots)
    {
        Span<double> row = GpuLoadFeatures.Of(adapters, slots, _meanPromptTokens, _meanOutputTokens).ToArray();
        return new GpuLoadPrediction(ThroughputTarget.Decode(_throughput.Predict(row)), _starvation.PredictClass(row));
    }
}

/// <summary>
/// The throughput regressor's target: ln(1 + tokens/s). Throughput spans two orders of magnitude across GPU
/// loads, and a tree on the raw value spends its splits on the largest loads; on the logarithm, errors are relative.
/// </summary>
public static class ThroughputTarget
{
    public static double Encode(double tokensPerSec) => Math.Log(1 + Math.Max(0, tokensPerSec));

    public static double Decode(double target) => Math.Exp(target) - 1;
}

/// <summary>
/// A predictor file: the throughput regressor and the starvation classifier, each in <see cref="ModelFile"/>'s
/// JSON, under one envelope that names the kind (forest or tree) and checks the feature names on load.
/// </summary>
public static class AdapterPredictorFile
{
    public const string Format = "stamen-adapter-predictor";

    public static void Save(string path, string kind, TabularModel throughput, TabularModel starvation)
    {
        var root = new JsonObject
        {
            ["format"] = Format,
            ["version"] = 1,
            ["kind"] = kind,
            ["throughput_target"] = "ln(1 + tokens_per_s)",
            ["throughput"] = JsonNode.Parse(ModelFile.ToJson(throughput)),
            ["starvation"] = JsonNode.Parse(ModelFile.ToJson(starvation)),
        };
        AtomicFile.WriteAllText(path, root.ToJsonString());
    }

    /// <summary>Loads both models; a missing, foreign or mismatched file is an input error naming what is wrong.</summary>
    public static (string Kind, TabularModel Throughput, TabularModel Starvation) Load(string path)
    {
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", "predictor file not found", "train one with `stamen adapters train DATA.csv -o PATH`, or use --predictor twin");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(Stamen.IO.BoundedFile.ReadAllText(path, Stamen.IO.BoundedFile.MaxTextBytes, "predictor"));
        }
        catch (JsonException e)
        {
            throw new StamenInputException(path, "(file)", $"not JSON: {e.Message}", "use a file written by `stamen adapters train`");
        }
        if (root is not JsonObject o || (string?)o["format"] != Format)
            throw new StamenInputException(path, "format", $"not a {Format} file", "use a file written by `stamen adapters train`");
        var throughput = ModelFile.FromJson(o["throughput"]?.ToJsonString() ?? "", path + " (throughput)");
        var starvation = ModelFile.FromJson(o["starvation"]?.ToJsonString() ?? "", path + " (starvation)");
        foreach (var (model, field) in new[] { (throughput, "throughput"), (starvation, "starvation") })
            if (!model.FeatureNames.SequenceEqual(GpuLoadFeatures.Names))
                throw new StamenInputException(path, field, $"features [{string.Join(", ", model.FeatureNames)}] are not this version's",
                    "retrain with `stamen adapters dataset` and `stamen adapters train`");
        return ((string?)o["kind"] ?? "model", throughput, starvation);
    }

    /// <summary><c>twin</c> for the twin itself, else a predictor file for workloads of <paramref name="twin"/>'s lengths.</summary>
    public static IGpuLoadPredictor Resolve(string spec, GpuServingTwin twin)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(twin);
        if (spec.Trim().Equals("twin", StringComparison.OrdinalIgnoreCase)) return new TwinGpuLoadPredictor(twin);
        var (kind, throughput, starvation) = Load(spec);
        return new DistilledGpuLoadPredictor($"{kind} ({Path.GetFileName(spec)})", throughput, starvation, twin.PromptTokens.Mean, twin.OutputTokens.Mean);
    }
}
