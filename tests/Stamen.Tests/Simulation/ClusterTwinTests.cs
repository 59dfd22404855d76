using Stamen.Performance;
using Stamen.Plans;
using Stamen.Simulation.Cluster;
using Stamen.Workload;

namespace Stamen.Tests.Simulation;

/// <summary>
/// The batching cluster twin: a server's batch time follows its profile table, links add transfer time and
/// latency, batches take what their caps allow, IWRR spreads requests in proportion to the flow and skips
/// servers without KV room, and a run is deterministic in its seed.
/// </summary>
public sealed class ClusterTwinTests
{
    private static readonly BatchTimeTable Decode = new([(0, 0), (1, 2.0), (4, 3.0), (64, 9.0)]);
    private static readonly BatchTimeTable Prompt = new([(0, 0), (100, 5.0), (1000, 20.0), (10_000, 200.0)]);

    private static ServerBatchProfile Profile(int maxLayers = 8, long kvTokenLayers = 10_000_000, int decodeMax = 64) =>
        new("test-gpu", Decode, Prompt, [0, .. Enumerable.Repeat(kvTokenLayers, maxLayers)], [0, .. Enumerable.Repeat(decodeMax, maxLayers)], 3, 6144);

    /// <summary>Servers 0..n-1 each joined to the coordinator both ways and to each other both ways.</summary>
    private static ClusterSpec Cluster(int servers, int layers, double bandwidth = 1e12, double latencyMs = 0, ServerBatchProfile? profile = null)
    {
        var links = new List<ClusterLink>();
        for (var i = 0; i < servers; i++)
        {
            links.Add(new ClusterLink(ClusterSpec.Coordinator, i, bandwidth, latencyMs));
            links.Add(new ClusterLink(i, ClusterSpec.Coordinator, bandwidth, latencyMs));
            for (var j = 0; j < servers; j++)
                if (i != j) links.Add(new ClusterLink(i, j, bandwidth, latencyMs));
        }
        return new ClusterSpec("test", [.. Enumerable.Range(0, servers).Select(i => new ClusterServer($"s{i}", profile ?? Profile()))], links, layers, 16_384);
    }

    private static readonly ClusterRunOptions Exact = new(WarmupS: 0, DurationS: 60) { DoubleSingleDecode = false, InputCopyOverhead = false };

    [Fact]
    public void BatchTimeTable_InterpolatesBetweenPoints_AndExtendsTheLastSegment()
    {
        Assert.Equal(0, Decode.MsPerLayer(0));
        Assert.Equal(2.0, Decode.MsPerLayer(1));
        Assert.Equal(2.0 + (2.5 - 1) / (4 - 1) * (3.0 - 2.0), Decode.MsPerLayer(2.5), 12);
        Assert.Equal(3.0 + (34 - 4) / 60.0 * 6.0, Decode.MsPerLayer(34), 12);
        Assert.Equal(9.0 + 16 * (6.0 / 60), Decode.MsPerLayer(80), 12); // past the last point, along its slope
        var unsorted = Assert.Throws<StamenInputException>(() => BatchTimeTable.Parse("0,0\n8,1\n4,2\n", "t.csv"));
        Assert.Equal("line 3", unsorted.Field);
        Assert.Throws<StamenInputException>(() => BatchTimeTable.Parse("0,0\n", "t.csv"));
        Assert.Throws<StamenInputException>(() => BatchTimeTable.Parse("0,0\n4,-1\n", "t.csv"));
    }

    [Fact]
    public void OneRequest_OnOneServer_TakesTheProfilesTimesPerLayer()
    {
        const int layers = 6, promptTokens = 300, output = 5;
        const double bandwidth = 1e9;
        var cluster = Cluster(1, layers, bandwidth);
        var workload = new ClusterWorkload(FeedMode.ClosedLoop, [new RequestShape(promptTokens, output)]) { Users = 1 };
        var r = ClusterTwin.Run(cluster, [new BlockSpan(0, layers)], new RandomHopScheduler(cluster, [new BlockSpan(0, layers)]), workload, Exact);

        // Coordinator links carry token ids (2 bytes a token), there and back.
        var promptMs = layers * Prompt.MsPerLayer(promptTokens) + 2 * (promptTokens * 2 / bandwidth * 1000);
        var decodeMs = layers * Decode.MsPerLayer(1) + 2 * (2 / bandwidth * 1000);
        Assert.Equal(promptMs, r.MeanPromptLatencyMs, 9);
        Assert.Equal(decodeMs, r.MeanDecodeLatencyMs, 9);
        // A closed loop of one user: requests follow each other after the 100 ms launch gap.
        var requestMs = promptMs + output * decodeMs + 100;
        Assert.InRange(r.RequestsFinished, (long)(60_000 / requestMs) - 1, (long)(60_000 / requestMs) + 1);
        Assert.Equal(r.RequestsFinished * (double)output / 60, r.DecodeTokensPerSec, 1);
    }

    [Fact]
    public void PublishedQuirk_DoublesABatchOfOneDecodeToken()
    {
        var cluster = Cluster(1, 4);
        var workload = new ClusterWorkload(FeedMode.ClosedLoop, [new RequestShape(100, 3)]) { Users = 1 };
        var spans = new[] { new BlockSpan(0, 4) };
        var smooth = ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), workload, Exact);
        var published = ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), workload, Exact with { DoubleSingleDecode = true });
        Assert.Equal(4 * Decode.MsPerLayer(1), published.MeanDecodeLatencyMs - smooth.MeanDecodeLatencyMs, 9);
    }

    [Fact]
    public void PromptsWaitingTogether_RunAsOneBatch_AtTheTableTimeOfTheWholeBatch()
    {
        var cluster = Cluster(1, 2);
        var spans = new[] { new BlockSpan(0, 2) };
        // Three users start at once; the coordinator's link sends their prompts one after another, so the first
        // runs alone and the other two, arriving meanwhile, run as one batch of 200 tokens after it.
        var workload = new ClusterWorkload(FeedMode.ClosedLoop, [new RequestShape(100, 1000)]) { Users = 3, LaunchGapMs = 0 };
        var r = ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), workload, Exact with { DurationS = 0.2 });
        var first = 2 * Prompt.MsPerLayer(100);
        var together = first + 2 * Prompt.MsPerLayer(200);
        Assert.Equal((first + 2 * together) / 3, r.MeanPromptLatencyMs, 4);
        Assert.NotEqual(2 * Prompt.MsPerLayer(200), 2 * 2 * Prompt.MsPerLayer(100), 3); // batching is not the sum of singles
    }

    [Fact]
    public void DecodeCap_SplitsABatch()
    {
        var profile = Profile(decodeMax: 2);
        var cluster = Cluster(1, 2, profile: profile);
        var spans = new[] { new BlockSpan(0, 2) };
        var workload = new ClusterWorkload(FeedMode.ClosedLoop, [new RequestShape(100, 50)]) { Users = 6, LaunchGapMs = 0 };
        var r = ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), workload, Exact with { DurationS = 2 });
        Assert.True(r.Servers[0].MeanBatchTokens <= 100, $"mean batch {r.Servers[0].MeanBatchTokens}");
        Assert.True(r.DecodeTokensPerSec > 0);
    }

    [Fact]
    public void Hop_BetweenServers_AddsActivationTransferAndLatency()
    {
        const double bandwidth = 1e8, latencyMs = 7;
        var cluster = Cluster(2, 4, bandwidth, latencyMs);
        var spans = new[] { new BlockSpan(0, 2), new BlockSpan(2, 2) };
        var workload = new ClusterWorkload(FeedMode.ClosedLoop, [new RequestShape(100, 3)]) { Users = 1 };
        var r = ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), workload, Exact);
        var tokenMs = 2 / bandwidth * 1000;
        var hopMs = (2 + 16_384) / bandwidth * 1000;
        var expected = 2 * (tokenMs + latencyMs) + hopMs + latencyMs + 4 * Decode.MsPerLayer(1);
        Assert.Equal(expected, r.MeanDecodeLatencyMs, 9);
    }

    [Fact]
    public void EnteringMidSpan_RunsOnlyTheSpansLastLayers()
    {
        // A holds layers 0-3, B layers 2-5: a request leaves A at 4 and runs B's last two layers only.
        var cluster = Cluster(2, 6);
        var spans = new[] { new BlockSpan(0, 4), new BlockSpan(2, 4) };
        var workload = new ClusterWorkload(FeedMode.ClosedLoop, [new RequestShape(100, 3)]) { Users = 1 };
        var strict = new RandomHopScheduler(cluster, spans);
        Assert.Null(strict.ChoosePath(new ClusterQuery(100, 340), new FixedView(cluster, spans, [1_000_000, 1_000_000]), new Random(1)));
        var r = ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans, enterMidSpan: true), workload, Exact);
        // Per token: token ids to A and from B (2 bytes each), A's hidden state to B (2 + 16,384 bytes).
        static double LinksMs(int tokens) => tokens * (2 + 2 + 2 + 16_384.0) / 1e12 * 1000;
        Assert.Equal((4 + 2) * Decode.MsPerLayer(1) + LinksMs(1), r.MeanDecodeLatencyMs, 9);
        Assert.Equal((4 + 2) * Prompt.MsPerLayer(100) + LinksMs(100), r.MeanPromptLatencyMs, 9);
    }

    [Fact]
    public void LayerByLayer_OneRequestAlone_TakesWhatTheWholeSpanTakes_AndBatchesStillForm()
    {
        var cluster = Cluster(2, 6);
        var spans = new[] { new BlockSpan(0, 4), new BlockSpan(4, 2) };
        var one = new ClusterWorkload(FeedMode.ClosedLoop, [new RequestShape(300, 4)]) { Users = 1 };
        var whole = ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), one, Exact);
        var layered = ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), one, Exact with { LayerByLayer = true });
        Assert.Equal(whole.MeanDecodeLatencyMs, layered.MeanDecodeLatencyMs, 9);
        Assert.Equal(whole.MeanPromptLatencyMs, layered.MeanPromptLatencyMs, 9);
        Assert.Equal(whole.RequestsFinished, layered.RequestsFinished);
        var many = ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), one with { Users = 30 }, Exact with { LayerByLayer = true });
        Assert.True(many.Servers[0].MeanBatchTokens > 1.5, $"mean batch {many.Servers[0].MeanBatchTokens}");
        Assert.Equal(0, many.KvOverflows);
    }

    [Fact]
    public void SameSeed_SameResult_OtherSeed_OtherLengths()
    {
        var cluster = Cluster(3, 6);
        var spans = new[] { new BlockSpan(0, 3), new BlockSpan(3, 3), new BlockSpan(0, 6) };
        var workload = new ClusterWorkload(FeedMode.Poisson, [new RequestShape(50, 3), new RequestShape(400, 9), new RequestShape(900, 2)]) { RatePerSec = 5 };
        ClusterRunResult Run(int seed) => ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), workload, Exact with { Seed = seed, DurationS = 30 });
        var a = Run(3);
        var b = Run(3);
        Assert.Equal((a.DecodeTokensPerSec, a.PromptTokensPerSec, a.MeanDecodeLatencyMs, a.EventsProcessed), (b.DecodeTokensPerSec, b.PromptTokensPerSec, b.MeanDecodeLatencyMs, b.EventsProcessed));
        Assert.Equal(a.Servers, b.Servers);
        Assert.NotEqual(a.PromptTokensPerSec, Run(4).PromptTokensPerSec);
    }

    [Fact]
    public void RefusedRequest_WaitsForOneToEnd_AndACluster_ThatServesNothing_CostsNoWork()
    {
        // Two layers, 100-token prompts, 240 expected output tokens: a request expects 680 token-layers; with 15% kept
        // free, 1,000 token-layers hold one request at a time, 500 none.
        IReadOnlyList<ClusterEdgeFlow> flows = [new(ClusterSpec.Coordinator, 0, 100), new(0, ClusterSpec.Coordinator, 100)];
        var spans = new[] { new BlockSpan(0, 2) };
        var workload = new ClusterWorkload(FeedMode.ClosedLoop, [new RequestShape(100, 5)]) { Users = 2 };
        ClusterRunResult Run(long capacity)
        {
            var cluster = Cluster(1, 2, profile: Profile(kvTokenLayers: capacity));
            return ClusterTwin.Run(cluster, spans, new MaxFlowIwrrScheduler(cluster, flows), workload, Exact with { DurationS = 5 });
        }
        var one = Run(1_000);
        Assert.True(one.Rejections > 0, "the second user should have been refused at first");
        Assert.True(one.RequestsFinished > 2, $"{one.RequestsFinished} finished");
        Assert.Equal(0, one.KvOverflows);
        Assert.InRange(one.Servers[0].PeakKvFraction, 0.01, 1);
        var none = Run(500);
        Assert.Equal((0L, 2L), (none.RequestsLaunched, none.Rejections));
        Assert.True(none.EventsProcessed <= 2, $"{none.EventsProcessed} events");
    }

    /// <summary>A view with fixed KV figures, for calling schedulers directly.</summary>
    private sealed class FixedView(ClusterSpec cluster, IReadOnlyList<BlockSpan> spans, long[] capacity) : IClusterView
    {
        public ClusterSpec Cluster => cluster;
        public IReadOnlyList<BlockSpan> Spans => spans;
        public long KvCapacity(int server) => capacity[server];
        public double KvExpected(int server) => 0;
    }

    [Fact]
    public void Iwrr_SendsRequestsInProportionToTheFlow_AndDropsLinksUnderFivePercent()
    {
        var cluster = Cluster(3, 4);
        var spans = new[] { new BlockSpan(0, 4), new BlockSpan(0, 4), new BlockSpan(0, 4) };
        // Flow 300 : 100 through servers 0 and 1; server 2's 15 tokens/s are under 5% of the coordinator's 415.
        ClusterEdgeFlow[] flows =
        [
            new(ClusterSpec.Coordinator, 0, 300), new(ClusterSpec.Coordinator, 1, 100), new(ClusterSpec.Coordinator, 2, 15),
            new(0, ClusterSpec.Coordinator, 300), new(1, ClusterSpec.Coordinator, 100), new(2, ClusterSpec.Coordinator, 15),
        ];
        var scheduler = new MaxFlowIwrrScheduler(cluster, flows);
        var view = new FixedView(cluster, spans, [long.MaxValue / 4, long.MaxValue / 4, long.MaxValue / 4]);
        var counts = new int[3];
        for (var i = 0; i < 400; i++) counts[scheduler.ChoosePath(new ClusterQuery(200, 440), view, new Random(1))!.Single()]++;
        Assert.Equal([300, 100, 0], counts);
    }

    [Fact]
    public void Iwrr_SkipsAServerWithoutKvRoom_AndRefusesWhenNoneHasIt()
    {
        var cluster = Cluster(2, 4);
        var spans = new[] { new BlockSpan(0, 4), new BlockSpan(0, 4) };
        ClusterEdgeFlow[] flows =
        [
            new(ClusterSpec.Coordinator, 0, 300), new(ClusterSpec.Coordinator, 1, 100),
            new(0, ClusterSpec.Coordinator, 300), new(1, ClusterSpec.Coordinator, 100),
        ];
        var scheduler = new MaxFlowIwrrScheduler(cluster, flows, kvHighWaterMark: 0.85);
        // 1,000 expected tokens on 4 layers need 4,000 token-layers; with 15% kept free, a server needs 4,000 / 0.85.
        var roomOnlyOnOne = new FixedView(cluster, spans, [4_000, 5_000]);
        for (var i = 0; i < 10; i++) Assert.Equal([1], scheduler.ChoosePath(new ClusterQuery(500, 1_000), roomOnlyOnOne, new Random(1))!);
        Assert.Null(scheduler.ChoosePath(new ClusterQuery(500, 1_000), new FixedView(cluster, spans, [4_000, 4_000]), new Random(1)));
    }

    [Fact]
    public void Schedulers_GivePathsThatCoverTheModelInOrder()
    {
        var cluster = Cluster(4, 8);
        var spans = new[] { new BlockSpan(0, 3), new BlockSpan(3, 5), new BlockSpan(0, 3), new BlockSpan(3, 5) };
        var view = new FixedView(cluster, spans, [1_000_000, 1_000_000, 1_000_000, 1_000_000]);
        var seen = new HashSet<string>();
        foreach (var scheduler in new IClusterScheduler[] { new RandomHopScheduler(cluster, spans), new SwarmEmaScheduler(cluster, spans) })
            for (var i = 0; i < 20; i++)
            {
                var path = scheduler.ChoosePath(new ClusterQuery(10, 20), view, new Random(i))!;
                Assert.Equal(2, path.Length);
                Assert.Equal(0, spans[path[0]].Start);
                Assert.Equal(spans[path[0]].End, spans[path[1]].Start);
                seen.Add(string.Join(",", path));
            }
        Assert.True(seen.Count >= 2, "the schedulers should use more than one path");
    }

    [Fact]
    public void BadRunSettings_AreInputErrors()
    {
        var cluster = Cluster(1, 2);
        var spans = new[] { new BlockSpan(0, 2) };
        var ok = new ClusterWorkload(FeedMode.ClosedLoop, [new RequestShape(10, 2)]);
        Assert.Throws<StamenInputException>(() => ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), ok, Exact with { DurationS = 1e9 }));
        Assert.Throws<StamenInputException>(() => ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), ok with { Users = 0 }, Exact));
        Assert.Throws<StamenInputException>(() => ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), ok with { Mode = FeedMode.Poisson, RatePerSec = 1e9 }, Exact));
        Assert.Throws<StamenInputException>(() => ClusterTwin.Run(cluster, spans, new RandomHopScheduler(cluster, spans), ok with { Lengths = [] }, Exact));
        Assert.Throws<ArgumentException>(() => ClusterTwin.Run(cluster, [new BlockSpan(0, 9)], new RandomHopScheduler(cluster, spans), ok, Exact));
    }
}
