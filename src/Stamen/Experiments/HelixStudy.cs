using Stamen.Helix;
using Stamen.Plans;
using Stamen.Simulation.Cluster;

namespace Stamen.Experiments;

/// <summary>One placement and scheduler simulated on one Helix cluster.</summary>
/// <param name="Placement">Where the placement came from (a Helix file or a Stamen planner).</param>
/// <param name="StaticMaxFlowTokensPerSec">Its static max flow (prompt + decode), NaN where T_i(k) does not cover it.</param>
/// <param name="PublishedDecodeTokensPerSec">Helix's artifact's simulated decode throughput for the same method, if published.</param>
public sealed record HelixStudyRow(
    string Cluster,
    string Method,
    string Placement,
    string Scheduler,
    string Feed,
    double StaticMaxFlowTokensPerSec,
    double DecodeTokensPerSec,
    double PromptTokensPerSec,
    double MeanDecodeLatencyMs,
    long KvOverflows,
    double? PublishedDecodeTokensPerSec);

/// <summary>Settings of <see cref="HelixStudy"/>.</summary>
/// <param name="DataDirectory">Folder holding <c>helix/</c> and <c>traces/azure_conv_2023.csv</c> (the repository's <c>data/</c>).</param>
/// <param name="SwarmUsers">Closed-loop users of the Swarm runs (Helix's artifact: 180 for LLaMA-2-70B).</param>
/// <param name="StartRequests">Requests the watermark feeder sends at the start (Helix: 20).</param>
/// <param name="OnlineDurationS">Measured seconds of the online cluster42 runs (Helix: 1,800, no warm-up).</param>
/// <param name="LayerByLayer">Servers run batches one layer at a time, as Helix's simulator does (published); false: a batch runs the whole span.</param>
public sealed record HelixStudySettings(string DataDirectory, double WarmupS = 60, double DurationS = 600, int Seed = 1, int SwarmUsers = 180,
    int StartRequests = 20, int FlowSearchMoves = 20_000, double OnlineDurationS = 1800, bool LayerByLayer = true);

/// <summary>
/// `stamen reproduce helix` (issue 16): Helix's single-region and three-region 24-machine clusters serving
/// LLaMA-2-70B offline; its own MILP, Swarm and PETALS placements, Stamen's Swarm and separate-pipelines baselines,
/// Stamen's flow search, and Stamen's PETALS and CG-BP planners on the cluster imported as a swarm, each simulated by the batching twin with the scheduler Helix pairs it with, next to the
/// decode throughput Helix's artifact reports.
/// </summary>
public static class HelixStudy
{
    /// <summary>The clusters and the artifact's offline decode throughput (tokens/s): Helix, Swarm, separate pipelines.</summary>
    public static IReadOnlyList<(string Cluster, double Helix, double Swarm, double Separate)> Published { get; } =
    [
        ("single24", 252.1, 124.7, 124.3),
        ("3cluster24", 98.0, 51.9, 61.9),
    ];

    /// <summary>The rows of each offline cluster, in the study's order (the names a helix-study sweep cell lists).</summary>
    public static IReadOnlyList<string> OfflineRows { get; } =
        ["helix", "swarm", "swarm-planner", "flow-search", "separate-pipelines", "helix-petals", "petals", "cg-bp", "gbp-cr"];

    /// <summary>The online rows (cluster42 at the arrival rates Helix's artifact sets by hand).</summary>
    public static IReadOnlyList<string> OnlineRows { get; } = ["helix-online", "swarm-online", "swarm-online-at-helix-rate"];

    /// <summary>The cluster of the online rows.</summary>
    public const string OnlineCluster = "cluster42";

    public static IReadOnlyList<HelixStudyRow> Run(HelixStudySettings settings, IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var jobs = Published.SelectMany(p => OfflineRows.Select(r => (p.Cluster, Row: r))).Concat(OnlineRows.Select(r => (Cluster: OnlineCluster, Row: r))).ToList();
        var rows = new List<HelixStudyRow>();
        var clusters = new Dictionary<string, HelixStudyCluster>(StringComparer.Ordinal);
        foreach (var (cluster, row) in jobs)
        {
            if (!clusters.TryGetValue(cluster, out var loaded)) clusters[cluster] = loaded = new HelixStudyCluster(settings.DataDirectory, cluster);
            rows.Add(Row(settings, loaded, row));
            progress?.Report(new ExperimentProgress(rows.Count, jobs.Count));
        }
        return rows;
    }

    /// <summary>One row of the study on <paramref name="cluster"/>: a name of <see cref="OfflineRows"/> or <see cref="OnlineRows"/>.</summary>
    public static HelixStudyRow Row(HelixStudySettings settings, HelixStudyCluster cluster, string row)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(cluster);
        if (OnlineRows.Contains(row)) return Online(settings, cluster, row);
        var name = cluster.Name;
        var published = Published.FirstOrDefault(p => p.Cluster == name);
        double? Published_(double value) => published.Cluster is null ? null : value;
        var model = cluster.Model;
        var options = new ClusterRunOptions(settings.WarmupS, settings.DurationS, settings.Seed) { LayerByLayer = settings.LayerByLayer };
        var watermark = new ClusterWorkload(FeedMode.KvWatermark, cluster.Lengths) { Users = settings.StartRequests };
        var closed = new ClusterWorkload(FeedMode.ClosedLoop, cluster.Lengths) { Users = settings.SwarmUsers };
        var input = new ClusterPlanningInput(cluster.Cluster, cluster.Spec, cluster.Tables);

        HelixStudyRow Simulate(string method, string placement, IReadOnlyList<BlockSpan> spans, string scheduler, ClusterWorkload workload, double? published, bool midSpan = false)
        {
            var flow = HelixClusterSetup.CoveredFlow(spans, model.Layers, cluster.Tables, midSpan);
            var flows = flow is null ? [] : HelixClusterSetup.Flows(flow);
            var built = midSpan ? new SwarmEmaScheduler(cluster.Spec, spans, enterMidSpan: true) : ClusterSchedulerCatalog.Schedulers.Find(scheduler).Create()(cluster.Spec, spans, flows);
            var r = ClusterTwin.Run(cluster.Spec, spans, built, workload, options);
            return new HelixStudyRow(name, method, placement, midSpan ? scheduler + " (mid-span)" : scheduler, Feed(workload), flow?.TokensPerSec ?? double.NaN,
                r.DecodeTokensPerSec, r.PromptTokensPerSec, r.MeanDecodeLatencyMs, r.KvOverflows, published);
        }

        HelixStudyRow AsSwarm(string planner)
        {
            // PETALS-style placements overlap, so requests enter servers mid-span (static max flow likewise).
            var context = new Placement.PlanningContext(cluster.AsSwarm, new Workload.RequestShape(763, 232), ArrivalRatePerSec: 1, FixedDelayMs: 0, settings.Seed);
            var planned = Placement.PlacementCatalog.Planners.Find(planner).Create().Plan(context).Placement.Spans;
            return Simulate(planner, $"Stamen's {planner} planner (cluster as a swarm)", planned, "swarm", closed, null, midSpan: true);
        }

        return row switch
        {
            "helix" => Simulate("helix", "Helix's MILP (ilp_sol.ini)", cluster.Layout("ilp_sol.ini"), "maxflow-iwrr", watermark, Published_(published.Helix)),
            "swarm" => Simulate("swarm", "Helix's Swarm (swarm_sol.ini)", cluster.Layout("swarm_sol.ini"), "swarm", closed, Published_(published.Swarm)),
            "swarm-planner" => Simulate("swarm", "Stamen's swarm planner", new SwarmStagesPlanner(null).Plan(input), "swarm", closed, null),
            "flow-search" => Simulate("flow-search", "Stamen's flow-search", new FlowSearchPlanner(settings.FlowSearchMoves, settings.Seed).Plan(input), "maxflow-iwrr", watermark, null),
            "separate-pipelines" => SeparatePipelines(name, input, cluster.Spec, watermark, options, Published_(published.Separate)),
            "helix-petals" => Simulate("petals", "Helix's PETALS (petals_sol.ini)", cluster.Layout("petals_sol.ini"), "swarm", closed, null, midSpan: true),
            "petals" or "cg-bp" or "gbp-cr" => AsSwarm(row),
            _ => throw new ArgumentException($"'{row}' is not a row of the Helix study", nameof(row)),
        };
    }

    /// <summary>
    /// An online row at the arrival rate Helix's artifact sets by hand for cluster42 (input + output tokens/s: 2,150 for
    /// Helix, 1,450 for Swarm), with Helix's online KV settings (high-water mark 0.9, 0.6 x 240 expected output tokens).
    /// Arrivals are Poisson at that mean (our choice; Helix resamples the Azure trace's 3-second counts).
    /// </summary>
    private static HelixStudyRow Online(HelixStudySettings settings, HelixStudyCluster cluster, string row)
    {
        var (method, placement, file, iwrr, tokensPerSec, published) = row switch
        {
            "helix-online" => ("helix", "Helix's MILP (ilp_sol.ini)", "ilp_sol.ini", true, 2150.0, (double?)459.8),
            "swarm-online" => ("swarm", "Helix's Swarm (swarm_sol.ini)", "swarm_sol.ini", false, 1450.0, 309.6),
            _ => ("swarm", "Helix's Swarm (swarm_sol.ini), at Helix's rate", "swarm_sol.ini", false, 2150.0, null),
        };
        if (cluster.Name != OnlineCluster) published = null; // the artifact's figures are cluster42's
        var spans = cluster.Layout(file);
        var meanTokens = cluster.Lengths.Average(l => (double)l.PromptTokens + l.OutputTokens);
        var options = new ClusterRunOptions(0, settings.OnlineDurationS, settings.Seed) { LayerByLayer = settings.LayerByLayer };
        var flow = PlacementMaxFlow.Compute(spans, cluster.Model.Layers, cluster.Tables);
        var workload = new ClusterWorkload(FeedMode.Poisson, cluster.Lengths) { RatePerSec = tokensPerSec / meanTokens, ExpectedOutputTokens = iwrr ? 144 : 240 };
        IClusterScheduler scheduler = iwrr ? new MaxFlowIwrrScheduler(cluster.Spec, HelixClusterSetup.Flows(flow), kvHighWaterMark: 0.9) : new SwarmEmaScheduler(cluster.Spec, spans);
        var r = ClusterTwin.Run(cluster.Spec, spans, scheduler, workload, options);
        return new HelixStudyRow(cluster.Name + " online", method, placement, iwrr ? "maxflow-iwrr (KV 0.9)" : "swarm", Feed(workload), flow.TokensPerSec,
            r.DecodeTokensPerSec, r.PromptTokensPerSec, r.MeanDecodeLatencyMs, r.KvOverflows, published);
    }

    /// <summary>Each pipeline alone on its machines (the others hold nothing), as Helix runs this baseline; throughputs summed.</summary>
    private static HelixStudyRow SeparatePipelines(string name, ClusterPlanningInput input, ClusterSpec spec,
        ClusterWorkload workload, ClusterRunOptions options, double? published)
    {
        var pipelines = new SeparatePipelinesPlanner(1).Pipelines(input);
        double decode = 0, prompt = 0, latencySum = 0, flowSum = 0;
        long overflows = 0;
        var latencyCount = 0;
        foreach (var pipeline in pipelines)
        {
            var spans = new BlockSpan[input.NodeCount];
            foreach (var (node, span) in pipeline) spans[node] = span;
            var r = ClusterTwin.Run(spec, spans, new RandomHopScheduler(spec, spans), workload, options);
            decode += r.DecodeTokensPerSec;
            prompt += r.PromptTokensPerSec;
            overflows += r.KvOverflows;
            if (double.IsFinite(r.MeanDecodeLatencyMs)) { latencySum += r.MeanDecodeLatencyMs; latencyCount++; }
            flowSum += input.Throughputs.Covers(spans) ? PlacementMaxFlow.Compute(spans, input.Layers, input.Throughputs).TokensPerSec : double.NaN;
        }
        var types = string.Join(", ", pipelines.Select(p => $"{input.Cluster.Nodes[p[0].Node].Type} x{p.Length}"));
        return new HelixStudyRow(name, "separate-pipelines", $"Stamen's separate pipelines ({(types.Length > 0 ? types : "none fit")})", "random",
            Feed(workload) + " per pipeline", pipelines.Count > 0 ? flowSum : 0, decode, prompt, latencyCount > 0 ? latencySum / latencyCount : double.NaN, overflows, published);
    }

    private static string Feed(ClusterWorkload w) => w.Mode switch
    {
        FeedMode.KvWatermark => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"KV watermark {w.FeedHighWaterMark:0.##} from {w.Users}"),
        FeedMode.ClosedLoop => $"closed loop, {w.Users} users",
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Poisson {w.RatePerSec:0.###}/s"),
    };
}

/// <summary>
/// A shipped cluster with LLaMA-2-70B as the Helix study reads it: the twin's cluster, Helix's throughput tables, its
/// layouts folder, the trace's lengths and the cluster imported as a swarm; each read once, when first needed.
/// </summary>
public sealed class HelixStudyCluster
{
    private readonly Lazy<(string File, HelixCluster Cluster, ClusterSpec Spec, HelixThroughputs Tables)> _loaded;
    private readonly Lazy<HelixProfiles> _profiles;
    private readonly Lazy<Workload.RequestShape[]> _lengths;
    private readonly Lazy<Swarm.SwarmSpec> _asSwarm;
    private readonly string _helixDirectory;

    /// <param name="dataDirectory">Folder holding <c>helix/</c> and <c>traces/azure_conv_2023.csv</c>.</param>
    /// <param name="name">A cluster with Helix's layouts for LLaMA-2-70B: single24, 3cluster24 or cluster42.</param>
    public HelixStudyCluster(string dataDirectory, string name)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        _helixDirectory = Path.Combine(dataDirectory, "helix");
        _profiles = new(() => HelixProfiles.Load(Path.Combine(_helixDirectory, "profiles"), Model.ProfileName));
        _lengths = new(() => HelixClusterSetup.TraceLengths(Path.Combine(dataDirectory, "traces", "azure_conv_2023.csv")));
        _loaded = new(() =>
        {
            var file = Path.Combine(_helixDirectory, "clusters", name + ".ini");
            var cluster = HelixClusterFile.Load(file);
            var derived = Path.Combine(_helixDirectory, "derived", $"{name}-llama2-70b");
            return (file, cluster, HelixClusterSetup.ToCluster(cluster, _profiles.Value, Model, file),
                HelixThroughputs.Load(Path.Combine(derived, "node_throughput.csv"), Path.Combine(derived, "edge_capacity.csv")));
        });
        _asSwarm = new(() => HelixSwarmImport.ToSwarm(Cluster, _profiles.Value, Model,
            HelixMachines.Load(Path.Combine(_helixDirectory, "clusters", "machine_profiles.ini")), _loaded.Value.File));
    }

    public string Name { get; }
    public HelixModel Model { get; } = HelixModel.Find("llama2_70b");
    public HelixCluster Cluster => _loaded.Value.Cluster;
    public ClusterSpec Spec => _loaded.Value.Spec;
    public HelixThroughputs Tables => _loaded.Value.Tables;
    public IReadOnlyList<Workload.RequestShape> Lengths => _lengths.Value;
    public Swarm.SwarmSpec AsSwarm => _asSwarm.Value;

    /// <summary>The folder of Helix's solution files for this cluster.</summary>
    public string LayoutsDirectory => Path.Combine(_helixDirectory, "layouts", $"{Name}-llama2-70b");

    /// <summary>One of Helix's solution files (ilp_sol.ini, swarm_sol.ini, petals_sol.ini) read as spans.</summary>
    public IReadOnlyList<BlockSpan> Layout(string file) => HelixLayoutFile.Load(Path.Combine(LayoutsDirectory, file), Cluster.Nodes.Count, Model.Layers);
}
