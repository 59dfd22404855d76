using Stamen.Performance;
using Stamen.Plans;
using Stamen.Scenarios;
using Stamen.Simulation.Cluster;
using Stamen.Swarm;

namespace Stamen.Experiments;

/// <summary>Settings of <see cref="SwarmThroughput"/>: a closed loop of users with the scenario's request lengths.</summary>
public sealed record SwarmThroughputSettings(int Users = 64, double WarmupS = 60, double DurationS = 600, bool LayerByLayer = false)
{
    /// <summary>Most servers the batching twin takes from a swarm scenario (it links every pair of servers).</summary>
    public const int MaxServers = 2_000;
}

/// <summary>One algorithm's plan of a swarm scenario, served by batching servers.</summary>
public sealed record SwarmThroughputRow(string Algorithm, double StaticMaxFlowTokensPerSec, double DecodeTokensPerSec, double PromptTokensPerSec,
    double MeanDecodeLatencyMs, double MeanPromptLatencyMs, long RequestsFinished, long KvOverflows);

/// <summary>
/// A swarm scenario's plans in the batching twin (issue 16): every server batches, with per-block batch times from its
/// own block times by a roofline (our choice, since the GPU catalog holds times at batch 1 only): a decode batch of b
/// tokens takes max(tau, b x prefill ms per token) per block (memory-bound until compute catches up), a prompt batch
/// of t tokens t x prefill ms per token + the fixed prefill time; its KV holds (memory - weights) / KV bytes per token
/// per block token-layers; batches take at most 256 decode requests and 3 prompts of 8,192 tokens (vLLM's defaults for
/// sequences and batched tokens, ours to choose). The first client is the coordinator; links carry the scenario's RTTs
/// halved each way and no bandwidth limit (the swarm model has none). Requests enter servers mid-span (PETALS' spans
/// overlap) and follow Helix's Swarm scheduler. The swarm twin itself does not batch: this is a second view of the same plans.
/// </summary>
public static class SwarmThroughput
{
    public const int DecodeMaxRequests = 256;
    public const int PromptMaxTokens = 8192;

    public static IReadOnlyList<SwarmThroughputRow> Run(ScenarioResolver resolver, IReadOnlyList<ResolvedAlgorithm> algorithms, int run, int? seed,
        SwarmThroughputSettings settings, IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(algorithms);
        ArgumentNullException.ThrowIfNull(settings);
        var resolved = resolver.Resolve(run, seed);
        if (resolved.Swarm.ServerCount > SwarmThroughputSettings.MaxServers)
            throw new StamenInputException("(scenario)", "servers", $"{resolved.Swarm.ServerCount} servers; the batching twin takes at most {SwarmThroughputSettings.MaxServers}",
                "use a smaller swarm for throughput runs");
        var cluster = ToCluster(resolved.Swarm);
        var lengths = resolved.Requests.Count > 0 ? resolved.Requests.Select(r => r.Shape).ToArray() : [resolved.Typical];
        var workload = new ClusterWorkload(FeedMode.ClosedLoop, lengths) { Users = settings.Users };
        var options = new ClusterRunOptions(settings.WarmupS, settings.DurationS, resolved.Seed)
        {
            LayerByLayer = settings.LayerByLayer,
            DoubleSingleDecode = false,
            InputCopyOverhead = false,
        };
        var rows = new List<SwarmThroughputRow>();
        for (var a = 0; a < algorithms.Count; a++)
        {
            var planned = SwarmExperiment.Plan(resolved, algorithms[a]);
            var spans = planned.Plan.Placement.Spans;
            var r = ClusterTwin.Run(cluster, spans, new SwarmEmaScheduler(cluster, spans, enterMidSpan: true), workload, options);
            var flow = PlanReport.StaticMaxFlow(resolved.Swarm, planned.Plan.Placement, PlanReport.ServerRows(planned));
            rows.Add(new SwarmThroughputRow(algorithms[a].Name, flow, r.DecodeTokensPerSec, r.PromptTokensPerSec, r.MeanDecodeLatencyMs, r.MeanPromptLatencyMs,
                r.RequestsFinished, r.KvOverflows));
            progress?.Report(new ExperimentProgress(a + 1, algorithms.Count));
        }
        return rows;
    }

    /// <summary>The swarm as the batching twin's cluster: see the class summary for each choice.</summary>
    public static ClusterSpec ToCluster(SwarmSpec swarm)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        var model = swarm.Model;
        var servers = swarm.Servers.Select(s => new ClusterServer(s.Name, Profile(s, model.BlockBytes, model.KvBytesPerTokenPerBlock, model.NumBlocks))).ToArray();
        var links = new List<ClusterLink>();
        const double unlimited = 1e15;
        for (var j = 0; j < servers.Length; j++)
        {
            var half = swarm.Delays.PerTokenRttMs(0, j) / 2;
            links.Add(new ClusterLink(ClusterSpec.Coordinator, j, unlimited, half));
            links.Add(new ClusterLink(j, ClusterSpec.Coordinator, unlimited, half));
            for (var i = 0; i < servers.Length; i++)
                if (i != j) links.Add(new ClusterLink(i, j, unlimited, swarm.Delays.ServerRttMs(i, j) / 2));
        }
        return new ClusterSpec("swarm", servers, links, model.NumBlocks, 2.0 * model.HiddenSize);
    }

    /// <summary>A server's batch profile by the roofline of its block times (class summary).</summary>
    public static ServerBatchProfile Profile(ServerSpec server, double blockBytes, double kvBytesPerTokenPerBlock, int modelBlocks)
    {
        ArgumentNullException.ThrowIfNull(server);
        var t = server.Times;
        var decode = new List<(double, double)> { (0, 0) };
        var prompt = new List<(double, double)> { (0, 0) };
        for (var b = 1; b <= 1 << 16; b *= 2)
        {
            decode.Add((b, Math.Max(t.DecodeMsPerBlock, b * t.PrefillMsPerToken)));
            prompt.Add((b, b * t.PrefillMsPerToken + t.PrefillFixedMs));
        }
        var most = Math.Min(server.MaxBlocks, modelBlocks);
        var kv = new long[most + 1];
        var caps = new int[most + 1];
        for (var k = 1; k <= most; k++)
        {
            kv[k] = (long)Math.Max(0, Math.Floor((server.MemoryBytes - k * blockBytes) / kvBytesPerTokenPerBlock));
            caps[k] = DecodeMaxRequests;
        }
        return new ServerBatchProfile(server.GpuName, new BatchTimeTable(decode), new BatchTimeTable(prompt), kv, caps, 3, PromptMaxTokens);
    }
}
