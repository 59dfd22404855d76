using System.Diagnostics;
using Stamen.Helix;
using Stamen.Plans;
using Stamen.Scenarios;
using Stamen.Simulation.Cluster;
using YamlDotNet.RepresentationModel;

namespace Stamen.Sweeps.Families;

/// <summary>
/// Helix clusters (`stamen helix simulate`) written as a small YAML file: the cluster file, the model, the feed and the
/// twin's window, and <c>placements:</c> (cluster planners by name, or Helix solution files as <c>{layout: PATH}</c>).
/// Each placement is made once per cell and simulated by the batching twin with run r's seed (seed + r, so run 0 is
/// `helix simulate --seed S`). docs/sweeps.md lists the fields.
/// </summary>
public sealed class HelixSweepFamily : ISweepFamily
{
    private static readonly string[] Fields =
    [
        "name", "cluster", "model", "profiles", "throughputs", "trace", "scheduler", "feed", "users", "rate_per_s", "warmup_s", "duration_s", "seed",
        "layer_by_layer", "enter_mid_span", "placements",
    ];

    public string Name => "helix";
    public string AlgorithmsField => "placements";
    public string? RunsField => null;

    public IReadOnlyList<string> MetricNames { get; } =
    [
        "static_max_flow_tokens_per_s", "decode_tokens_per_s", "prompt_tokens_per_s", "requests_launched", "requests_finished", "rejections",
        "kv_overflows", "mean_prompt_latency_ms", "mean_decode_latency_ms",
    ];

    public IReadOnlyList<string> ReportMetrics { get; } = ["decode_tokens_per_s", "static_max_flow_tokens_per_s", "mean_decode_latency_ms"];

    public string? BuiltinText(string name) => null;

    public ISweepScenario Load(string text, string file, string baseDirectory)
    {
        var y = YamlFields.LoadRoot(text, file, "start from examples/helix-cluster10.yaml");
        y.AllowOnly(Fields);
        string? Path_(string key) => y.OptString(key) is { } p ? Path.GetFullPath(Path.Combine(baseDirectory, p)) : null;
        var clusterPath = Path_("cluster") ?? throw y.Error("cluster", "is missing", "give the Helix cluster file, e.g. ../data/helix/clusters/single24.ini");
        if (!File.Exists(clusterPath)) throw y.Error("cluster", $"file not found: {clusterPath}", "give the path relative to this file");
        var model = HelixModel.Find(y.OptString("model") ?? "llama2_70b", file, "model");
        var feed = y.OptString("feed") ?? "watermark";
        var mode = ClusterWorkload.FeedNamed(feed) ?? throw y.Error("feed", $"unknown feed '{feed}'", "use watermark, closed or poisson");
        var scheduler = ClusterSchedulerCatalog.Schedulers.Find(y.OptString("scheduler") ?? "maxflow-iwrr", file, "scheduler");
        var users = y.OptInt("users", 1) ?? 20;
        var rate = y.OptDouble("rate_per_s", 0, exclusiveMin: true) ?? 1;
        var warmup = y.OptDouble("warmup_s", 0) ?? 60;
        var duration = y.OptDouble("duration_s", 0, exclusiveMin: true) ?? 600;
        ClusterWorkload.RequireUsers(users, file, "users");
        ClusterRunOptions.RequireWindow(warmup, duration, file, "warmup_s/duration_s");
        if (mode == FeedMode.Poisson) ClusterWorkload.RequireRate(rate, warmup + duration, file, "rate_per_s");
        var seed = y.OptInt("seed") ?? 1;
        var layerByLayer = y.OptBool("layer_by_layer") ?? false;
        var midSpan = y.OptBool("enter_mid_span") ?? false;
        var cluster = HelixClusterFile.Load(clusterPath);
        var profiles = HelixClusterSetup.Profiles(clusterPath, Path_("profiles"), model);
        var spec = HelixClusterSetup.ToCluster(cluster, profiles, model, clusterPath);
        var tables = HelixClusterSetup.Tables(cluster, clusterPath, model, profiles, Path_("throughputs"));
        var trace = Path_("trace") ?? Path.Combine(Path.GetDirectoryName(clusterPath)!, "..", "..", "traces", "azure_conv_2023.csv");
        var lengths = HelixClusterSetup.TraceLengths(trace);
        var placements = Placements(y, cluster, model, spec, tables, baseDirectory);
        return new Scenario(y.OptString("name") ?? cluster.Name, seed, placements, spec, tables, model, scheduler.Name, midSpan,
            new ClusterWorkload(mode, lengths) { Users = users, RatePerSec = rate }, warmup, duration, layerByLayer);
    }

    /// <summary>Each placement by name, with how to make its spans (once per cell).</summary>
    private static List<(string Name, Func<IReadOnlyList<BlockSpan>> Spans)> Placements(YamlFields y, HelixCluster cluster, HelixModel model,
        ClusterSpec spec, HelixThroughputs tables, string baseDirectory)
    {
        var items = y.OptList("placements") ?? throw y.Error("placements", "is missing", "list cluster planners (`stamen catalog cluster-placements`) or {layout: PATH} entries");
        if (items.Count == 0) throw y.Error("placements", "is empty", "list at least one placement");
        var result = new List<(string, Func<IReadOnlyList<BlockSpan>>)>();
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"placements[{i}]";
            if (items[i] is YamlScalarNode { Value: { Length: > 0 } name })
            {
                var entry = ClusterPlacementCatalog.Planners.TryFind(name)
                    ?? throw y.Error(items[i], at, $"unknown placement '{name}'", $"use one of: {string.Join(", ", ClusterPlacementCatalog.Planners.Names)}, or {{layout: PATH}}");
                result.Add((entry.Name, () => entry.Create().Plan(new ClusterPlanningInput(cluster, spec, tables))));
            }
            else if (items[i] is YamlMappingNode map)
            {
                var f = new YamlFields(y.File, at, map);
                f.AllowOnly("layout", "name");
                var layout = Path.GetFullPath(Path.Combine(baseDirectory, f.RequireString("layout", "give a Helix solution file, e.g. ilp_sol.ini")));
                if (!File.Exists(layout)) throw f.Error("layout", $"file not found: {layout}", "give the path relative to this file");
                var spans = HelixLayoutFile.Load(layout, cluster.Nodes.Count, model.Layers);
                result.Add((f.OptString("name") ?? Path.GetFileNameWithoutExtension(layout), () => spans));
            }
            else throw y.Error(items[i], at, "expected a placement name or {layout: PATH}", "write e.g. flow-search or {layout: ilp_sol.ini, name: helix}");
        }
        if (result.Select(r => r.Item1).Distinct(StringComparer.Ordinal).Count() != result.Count)
            throw y.Error("placements", "two placements have the same name", "give {layout: PATH, name: NAME} entries distinct names");
        return result;
    }

    /// <summary>A placement made: its spans, the edge flows the max-flow scheduler follows, its static max flow and how long planning took.</summary>
    private sealed record Placed(IReadOnlyList<BlockSpan> Spans, IReadOnlyList<ClusterEdgeFlow> Flows, double MaxFlowTokensPerSec, double PlanMs);

    private sealed class Scenario(string name, int seed, List<(string Name, Func<IReadOnlyList<BlockSpan>> Spans)> placements, ClusterSpec spec,
        HelixThroughputs tables, HelixModel model, string scheduler, bool midSpan, ClusterWorkload workload, double warmupS, double durationS, bool layerByLayer) : ISweepScenario
    {
        // A placement and its max flow are the same for every run: made once, by the first item that needs them.
        private readonly Lazy<Placed>[] _placed = [.. placements.Select(p => new Lazy<Placed>(() =>
        {
            var clock = Stopwatch.StartNew();
            var spans = p.Spans();
            var planMs = clock.Elapsed.TotalMilliseconds;
            var flow = HelixClusterSetup.CoveredFlow(spans, model.Layers, tables, midSpan);
            return new Placed(spans, flow is null ? [] : HelixClusterSetup.Flows(flow), flow?.TokensPerSec ?? double.NaN, planMs);
        }))];

        public string Name => name;
        public int Runs => 1;
        public IReadOnlyList<string> Algorithms { get; } = [.. placements.Select(p => p.Name)];

        public int RunSeed(int run) => checked(seed + run);

        public IReadOnlyList<SweepRunMetrics> Run(int run, CancellationToken cancellation)
        {
            var results = new List<SweepRunMetrics>(placements.Count);
            for (var i = 0; i < placements.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                var placed = _placed[i].Value;
                var clock = Stopwatch.StartNew();
                var built = ClusterSchedulerCatalog.Schedulers.Create(ClusterSchedulerCatalog.Choice(scheduler, midSpan))(spec, placed.Spans, placed.Flows);
                var r = ClusterTwin.Run(spec, placed.Spans, built, workload, new ClusterRunOptions(warmupS, durationS, RunSeed(run)) { LayerByLayer = layerByLayer });
                results.Add(new SweepRunMetrics(placements[i].Name,
                [
                    new("static_max_flow_tokens_per_s", placed.MaxFlowTokensPerSec), new("decode_tokens_per_s", r.DecodeTokensPerSec), new("prompt_tokens_per_s", r.PromptTokensPerSec),
                    new("requests_launched", r.RequestsLaunched), new("requests_finished", r.RequestsFinished), new("rejections", r.Rejections),
                    new("kv_overflows", r.KvOverflows), new("mean_prompt_latency_ms", r.MeanPromptLatencyMs), new("mean_decode_latency_ms", r.MeanDecodeLatencyMs),
                ], [new("plan_ms", placed.PlanMs), new("run_ms", clock.Elapsed.TotalMilliseconds)]));
            }
            return results;
        }
    }
}
