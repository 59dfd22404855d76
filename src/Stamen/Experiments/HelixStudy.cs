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

    public static IReadOnlyList<HelixStudyRow> Run(HelixStudySettings settings, IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var model = HelixModel.Find("llama2_70b");
        var helixDir = Path.Combine(settings.DataDirectory, "helix");
        var profiles = HelixProfiles.Load(Path.Combine(helixDir, "profiles"), model.ProfileName);
        var lengths = HelixClusterSetup.TraceLengths(Path.Combine(settings.DataDirectory, "traces", "azure_conv_2023.csv"));
        var options = new ClusterRunOptions(settings.WarmupS, settings.DurationS, settings.Seed) { LayerByLayer = settings.LayerByLayer };
        var watermark = new ClusterWorkload(FeedMode.KvWatermark, lengths) { Users = settings.StartRequests };
        var closed = new ClusterWorkload(FeedMode.ClosedLoop, lengths) { Users = settings.SwarmUsers };
        var rows = new List<HelixStudyRow>();
        var done = 0;
        var total = Published.Count * 9 + 3;
        var machines = HelixMachines.Load(Path.Combine(helixDir, "clusters", "machine_profiles.ini"));
        foreach (var (name, helix, swarm, separate) in Published)
        {
            var (clusterFile, cluster, spec, tables, layouts) = LoadCluster(helixDir, name, profiles, model);
            var input = new ClusterPlanningInput(cluster, spec, tables);

            void Add(string method, string placement, IReadOnlyList<BlockSpan> spans, string scheduler, ClusterWorkload workload, double? published, bool midSpan = false)
            {
                var flow = HelixClusterSetup.CoveredFlow(spans, model.Layers, tables, midSpan);
                var flows = flow is null ? [] : HelixClusterSetup.Flows(flow);
                var built = midSpan ? new SwarmEmaScheduler(spec, spans, enterMidSpan: true) : ClusterSchedulerCatalog.Schedulers.Find(scheduler).Create()(spec, spans, flows);
                var r = ClusterTwin.Run(spec, spans, built, workload, options);
                rows.Add(new HelixStudyRow(name, method, placement, midSpan ? scheduler + " (mid-span)" : scheduler, Feed(workload), flow?.TokensPerSec ?? double.NaN,
                    r.DecodeTokensPerSec, r.PromptTokensPerSec, r.MeanDecodeLatencyMs, r.KvOverflows, published));
                progress?.Report(new ExperimentProgress(++done, total));
            }

            Add("helix", "Helix's MILP (ilp_sol.ini)", HelixLayoutFile.Load(Path.Combine(layouts, "ilp_sol.ini"), cluster.Nodes.Count, model.Layers), "maxflow-iwrr", watermark, helix);
            Add("swarm", "Helix's Swarm (swarm_sol.ini)", HelixLayoutFile.Load(Path.Combine(layouts, "swarm_sol.ini"), cluster.Nodes.Count, model.Layers), "swarm", closed, swarm);
            Add("swarm", "Stamen's swarm planner", new SwarmStagesPlanner(null).Plan(input), "swarm", closed, null);
            Add("flow-search", "Stamen's flow-search", new FlowSearchPlanner(settings.FlowSearchMoves, settings.Seed).Plan(input), "maxflow-iwrr", watermark, null);
            rows.Add(SeparatePipelines(name, input, spec, watermark, options, separate));
            progress?.Report(new ExperimentProgress(++done, total));
            // PETALS-style placements overlap, so requests enter servers mid-span (static max flow likewise).
            Add("petals", "Helix's PETALS (petals_sol.ini)", HelixLayoutFile.Load(Path.Combine(layouts, "petals_sol.ini"), cluster.Nodes.Count, model.Layers), "swarm", closed, null, midSpan: true);
            var swarmSpec = HelixSwarmImport.ToSwarm(cluster, profiles, model, machines, clusterFile);
            foreach (var planner in new[] { "petals", "cg-bp", "gbp-cr" })
            {
                var context = new Placement.PlanningContext(swarmSpec, new Workload.RequestShape(763, 232), ArrivalRatePerSec: 1, FixedDelayMs: 0, settings.Seed);
                var planned = Placement.PlacementCatalog.Planners.Find(planner).Create().Plan(context).Placement.Spans;
                Add(planner, $"Stamen's {planner} planner (cluster as a swarm)", planned, "swarm", closed, null, midSpan: true);
            }
        }
        rows.AddRange(Online(settings, model, helixDir, profiles, lengths, progress, ref done, total));
        return rows;
    }

    /// <summary>
    /// cluster42 online, at the arrival rates Helix's artifact sets by hand (input + output tokens/s: 2,150 for Helix,
    /// 1,450 for Swarm), with Helix's online KV settings (high-water mark 0.9, 0.6 x 240 expected output tokens).
    /// Arrivals are Poisson at that mean (our choice; Helix resamples the Azure trace's 3-second counts).
    /// </summary>
    private static List<HelixStudyRow> Online(HelixStudySettings settings, HelixModel model, string helixDir, HelixProfiles profiles,
        IReadOnlyList<Workload.RequestShape> lengths, IProgress<ExperimentProgress>? progress, ref int done, int total)
    {
        const string name = "cluster42";
        var (_, cluster, spec, tables, layouts) = LoadCluster(helixDir, name, profiles, model);
        var meanTokens = lengths.Average(l => (double)l.PromptTokens + l.OutputTokens);
        var options = new ClusterRunOptions(0, settings.OnlineDurationS, settings.Seed) { LayerByLayer = settings.LayerByLayer };
        var rows = new List<HelixStudyRow>();
        foreach (var (method, placement, spans, iwrr, tokensPerSec, published) in new[]
        {
            ("helix", "Helix's MILP (ilp_sol.ini)", HelixLayoutFile.Load(Path.Combine(layouts, "ilp_sol.ini"), cluster.Nodes.Count, model.Layers), true, 2150.0, (double?)459.8),
            ("swarm", "Helix's Swarm (swarm_sol.ini)", HelixLayoutFile.Load(Path.Combine(layouts, "swarm_sol.ini"), cluster.Nodes.Count, model.Layers), false, 1450.0, 309.6),
            ("swarm", "Helix's Swarm (swarm_sol.ini), at Helix's rate", HelixLayoutFile.Load(Path.Combine(layouts, "swarm_sol.ini"), cluster.Nodes.Count, model.Layers), false, 2150.0, null),
        })
        {
            var flow = PlacementMaxFlow.Compute(spans, model.Layers, tables);
            var workload = new ClusterWorkload(FeedMode.Poisson, lengths) { RatePerSec = tokensPerSec / meanTokens, ExpectedOutputTokens = iwrr ? 144 : 240 };
            IClusterScheduler scheduler = iwrr ? new MaxFlowIwrrScheduler(spec, HelixClusterSetup.Flows(flow), kvHighWaterMark: 0.9) : new SwarmEmaScheduler(spec, spans);
            var r = ClusterTwin.Run(spec, spans, scheduler, workload, options);
            rows.Add(new HelixStudyRow(name + " online", method, placement, iwrr ? "maxflow-iwrr (KV 0.9)" : "swarm", Feed(workload), flow.TokensPerSec,
                r.DecodeTokensPerSec, r.PromptTokensPerSec, r.MeanDecodeLatencyMs, r.KvOverflows, published));
            progress?.Report(new ExperimentProgress(++done, total));
        }
        return rows;
    }

    /// <summary>A shipped cluster with LLaMA-2-70B: its file, the twin's cluster, Helix's tables and its layouts folder.</summary>
    private static (string File, HelixCluster Cluster, ClusterSpec Spec, HelixThroughputs Tables, string Layouts) LoadCluster(
        string helixDir, string name, HelixProfiles profiles, HelixModel model)
    {
        var file = Path.Combine(helixDir, "clusters", name + ".ini");
        var cluster = HelixClusterFile.Load(file);
        var derived = Path.Combine(helixDir, "derived", $"{name}-llama2-70b");
        return (file, cluster, HelixClusterSetup.ToCluster(cluster, profiles, model, file),
            HelixThroughputs.Load(Path.Combine(derived, "node_throughput.csv"), Path.Combine(derived, "edge_capacity.csv")),
            Path.Combine(helixDir, "layouts", $"{name}-llama2-70b"));
    }

    /// <summary>Each pipeline alone on its machines (the others hold nothing), as Helix runs this baseline; throughputs summed.</summary>
    private static HelixStudyRow SeparatePipelines(string name, ClusterPlanningInput input, ClusterSpec spec,
        ClusterWorkload workload, ClusterRunOptions options, double published)
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
