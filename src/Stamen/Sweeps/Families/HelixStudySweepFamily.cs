using System.Diagnostics;
using System.Text.Json;
using Stamen.Experiments;
using Stamen.Helix;
using Stamen.Scenarios;
using Stamen.Simulation.Cluster;

namespace Stamen.Sweeps.Families;

/// <summary>
/// One cluster of the Helix study (`stamen reproduce helix`) as a file: a shipped cluster with Helix's LLaMA-2-70B
/// layouts, the study's window and feeds, and <c>rows:</c>, each a placement paired with the scheduler and feed the
/// study gives it (Helix's own files, Stamen's planners, separate pipelines, the online rows). Run r simulates every row
/// with seed + r (lengths, scheduler choices, the flow search and the planners' seed), so run 0 is the study's row.
/// </summary>
public sealed class HelixStudySweepFamily : ISweepFamily
{
    private static readonly string[] Fields =
    [
        "name", "data", "cluster", "rows", "warmup_s", "duration_s", "online_duration_s", "seed", "swarm_users", "start_requests", "flow_search_moves",
        "layer_by_layer",
    ];

    /// <summary>Every row a cell can list: the offline rows, then the online ones.</summary>
    public static IReadOnlyList<string> Rows { get; } = [.. HelixStudy.OfflineRows, .. HelixStudy.OnlineRows];

    /// <summary>The built-in cells, by name (Sweeps/Builtin/helix-study-NAME.yaml); <c>default</c> is single24.</summary>
    public static IReadOnlyList<string> BuiltinCellNames { get; } = ["single24", "3cluster24", "cluster42-online"];

    public string Name => "helix-study";
    public string AlgorithmsField => "rows";
    public string? RunsField => null;

    public IReadOnlyList<string> MetricNames { get; } =
    [
        "static_max_flow_tokens_per_s", "decode_tokens_per_s", "prompt_tokens_per_s", "mean_decode_latency_ms", "kv_overflows", "published_decode_tokens_per_s",
    ];

    public IReadOnlyList<string> ReportMetrics { get; } = ["decode_tokens_per_s", "published_decode_tokens_per_s", "static_max_flow_tokens_per_s"];

    public string? BuiltinText(string name) =>
        name == "default" ? BuiltinCells.Text("helix-study-single24") : BuiltinCellNames.Contains(name) ? BuiltinCells.Text("helix-study-" + name) : null;

    public ISweepScenario Load(string text, string file, string baseDirectory)
    {
        var y = YamlFields.LoadRoot(text, file, "start from a built-in cell: `stamen sweep show helix`");
        y.AllowOnly(Fields);
        var data = Path.GetFullPath(Path.Combine(baseDirectory, y.OptString("data") ?? "data"));
        if (!Directory.Exists(Path.Combine(data, "helix")))
            throw y.Error("data", $"no helix/ folder in {data}", "give the repository's data/ folder (relative to this file, or the sweep's folder for a built-in cell)");
        var trace = Path.Combine(data, "traces", "azure_conv_2023.csv");
        if (!File.Exists(trace)) throw y.Error("data", $"file not found: {trace}", "give the repository's data/ folder, which holds traces/azure_conv_2023.csv");
        var clusterName = y.OptString("cluster") ?? "single24";
        var cluster = new HelixStudyCluster(data, clusterName);
        foreach (var needed in new[] { Path.Combine(data, "helix", "clusters", clusterName + ".ini"), cluster.LayoutsDirectory })
            if (!File.Exists(needed) && !Directory.Exists(needed))
                throw y.Error("cluster", $"'{clusterName}' has no {needed}", "use a cluster with Helix's LLaMA-2-70B layouts: single24, 3cluster24 or cluster42");
        var rows = y.OptChoices("rows", Rows, "the study's rows") ?? [.. HelixStudy.OfflineRows];
        if (rows.Count == 0) throw y.Error("rows", "is empty", "list one or more rows");
        if (rows.Distinct(StringComparer.Ordinal).Count() != rows.Count) throw y.Error("rows", "lists a row twice", "list each row once");
        var d = new HelixStudySettings(data);
        var settings = d with
        {
            WarmupS = y.OptDouble("warmup_s", 0) ?? d.WarmupS,
            DurationS = y.OptDouble("duration_s", 0, exclusiveMin: true) ?? d.DurationS,
            OnlineDurationS = y.OptDouble("online_duration_s", 0, exclusiveMin: true) ?? d.OnlineDurationS,
            Seed = y.OptInt("seed") ?? d.Seed,
            SwarmUsers = y.OptInt("swarm_users") ?? d.SwarmUsers,
            StartRequests = y.OptInt("start_requests") ?? d.StartRequests,
            FlowSearchMoves = y.OptInt("flow_search_moves", 1, FlowLocalSearchOptions.MaxIterations) ?? d.FlowSearchMoves,
            LayerByLayer = y.OptBool("layer_by_layer") ?? d.LayerByLayer,
        };
        ClusterRunOptions.RequireWindow(settings.WarmupS, settings.DurationS, file, "warmup_s/duration_s");
        ClusterRunOptions.RequireWindow(0, settings.OnlineDurationS, file, "online_duration_s");
        ClusterWorkload.RequireUsers(settings.SwarmUsers, file, "swarm_users");
        ClusterWorkload.RequireUsers(settings.StartRequests, file, "start_requests");
        return new Scenario(y.OptString("name") ?? clusterName, rows, settings, cluster);
    }

    /// <summary>A study row as a store row: its figures as metrics, its words (cluster, method, placement, scheduler, feed) as detail.</summary>
    public static SweepRunMetrics ToRun(string row, HelixStudyRow r, double runMs)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new SweepRunMetrics(row,
        [
            new("static_max_flow_tokens_per_s", r.StaticMaxFlowTokensPerSec), new("decode_tokens_per_s", r.DecodeTokensPerSec),
            new("prompt_tokens_per_s", r.PromptTokensPerSec), new("mean_decode_latency_ms", r.MeanDecodeLatencyMs), new("kv_overflows", r.KvOverflows),
            new("published_decode_tokens_per_s", r.PublishedDecodeTokensPerSec ?? double.NaN),
        ], [new("run_ms", runMs)])
        {
            Detail = SweepRunMetrics.DetailJson(w =>
            {
                w.WriteString("cluster", r.Cluster);
                w.WriteString("method", r.Method);
                w.WriteString("placement", r.Placement);
                w.WriteString("scheduler", r.Scheduler);
                w.WriteString("feed", r.Feed);
            }),
        };
    }

    /// <summary>The study row a store row holds (<see cref="ToRun"/> read back).</summary>
    public static HelixStudyRow FromRun(IReadOnlyList<KeyValuePair<string, double>> metrics, string? detail)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        double Of(string name) => SweepRunMetrics.Value(metrics, name);
        using var doc = JsonDocument.Parse(detail ?? throw new InvalidDataException("a helix-study row has no detail"));
        string Word(string name) => doc.RootElement.GetProperty(name).GetString()!;
        var published = Of("published_decode_tokens_per_s");
        return new HelixStudyRow(Word("cluster"), Word("method"), Word("placement"), Word("scheduler"), Word("feed"), Of("static_max_flow_tokens_per_s"),
            Of("decode_tokens_per_s"), Of("prompt_tokens_per_s"), Of("mean_decode_latency_ms"), (long)Of("kv_overflows"), double.IsNaN(published) ? null : published);
    }

    private sealed class Scenario(string name, IReadOnlyList<string> rows, HelixStudySettings settings, HelixStudyCluster cluster) : ISweepScenario
    {
        public string Name => name;
        public int Runs => 1;
        public IReadOnlyList<string> Algorithms => rows;

        public int RunSeed(int run) => checked(settings.Seed + run);

        public IReadOnlyList<SweepRunMetrics> Run(int run, CancellationToken cancellation) =>
            [.. rows.Select(row =>
            {
                cancellation.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var result = HelixStudy.Row(settings with { Seed = RunSeed(run) }, cluster, row);
                return ToRun(row, result, clock.Elapsed.TotalMilliseconds);
            })];
    }
}
