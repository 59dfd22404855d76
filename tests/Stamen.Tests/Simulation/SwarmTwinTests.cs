using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Simulation.Swarm;
using Stamen.Swarm;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Simulation;

public class SwarmTwinTests
{
    private static readonly RequestShape Shape = new(20, 32);

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 60_000.0)]
    [InlineData(3, 250_000.0)]
    public void Run_SingleRequest_TimesEqualClosedFormPlusFixedDelays(int seed, double allocationMs)
    {
        var swarm = TestSwarms.Random(seed, servers: 10);
        var placement = TwinFixtures.CoveringPlacement(swarm, Shape, perBlock: false, new Random(seed));
        var request = new SwarmRequest(0, 1234.5, 0, Shape);
        var result = SwarmTwin.Run(new SwarmTwinInput(swarm, placement, new FarthestReachRouter(false), AdmissionPolicy.Wait, [request], seed)
        {
            SessionStartMs = 70,
            AllocationMs = allocationMs,
        });

        var outcome = Assert.Single(result.Requests);
        // Closed form written out from the reference, not through SwarmPerformanceModel.
        double first = 0, perToken = 0;
        foreach (var hop in outcome.Hops)
        {
            var server = swarm.Servers[hop.Server];
            first += swarm.Delays.FirstTokenRttMs(0, hop.Server, Shape.PromptTokens) + hop.Blocks * (server.Times.PrefillMsPerToken * Shape.PromptTokens + server.Times.PrefillFixedMs);
            perToken += swarm.Delays.PerTokenRttMs(0, hop.Server) + hop.Blocks * server.Times.DecodeMsPerBlock;
        }
        var fixedMs = 70 + allocationMs;
        Assert.True(outcome.Succeeded);
        Assert.Equal(0, outcome.WaitMs);
        Assert.Equal(fixedMs + first, outcome.FirstTokenMs, 1e-9);
        Assert.Equal(fixedMs + first + (Shape.OutputTokens - 1) * perToken, outcome.TotalMs, 1e-9);
        Assert.Equal(outcome.TotalMs / Shape.OutputTokens, outcome.AverageMsPerToken, 1e-12);
        Assert.Equal(request.ArrivalMs + outcome.TotalMs, outcome.EndMs, 1e-6);
    }

    /// <summary>One 8-block A100 server whose shared pool holds exactly one session of <see cref="Shape"/>.</summary>
    private static (SwarmSpec Swarm, BlockPlacement Placement) OneSlotServer()
    {
        var model = TestSwarms.Bloom(blocks: 8);
        var swarm = TestSwarms.Build(model, [TestSwarms.A100Server("a")], new double[,] { { 10 } });
        var pool = model.SessionCacheBytesPerBlock(Shape.PromptTokens, Shape.OutputTokens) * 8;
        return (swarm, new BlockPlacement(8, [new BlockSpan(0, 8)], [new CacheBudget(pool, PerBlock: false)]));
    }

    [Fact]
    public void Run_WaitPolicyTwoRequestsOneSlot_SecondStartsAtFirstRetryTimeAfterFirstEnds()
    {
        var (swarm, placement) = OneSlotServer();
        SwarmRequest[] requests = [new(0, 500, 0, Shape), new(1, 500, 0, Shape)];
        var result = SwarmTwin.Run(new SwarmTwinInput(swarm, placement, new FarthestReachRouter(false), AdmissionPolicy.Wait, requests, 7)
        {
            AllocationMs = 20_000,
            CheckInvariants = true,
        });

        var (first, second) = (result.Requests[0], result.Requests[1]);
        Assert.Equal(500, first.StartMs);
        var expectedWait = RetrySchedule.RoundUpMs(first.EndMs - 500);
        Assert.True(expectedWait > first.EndMs - 500);
        Assert.Equal(500 + expectedWait, second.StartMs);
        Assert.Equal(expectedWait, second.WaitMs);
        Assert.Equal(5, second.Retries); // 1 + 2 + 4 + 8 + 16 = 31 s is the first attempt after ~22.6 s
        Assert.Empty(result.InvariantViolations);
    }

    [Fact]
    public void Run_FailFastTwoRequestsOneSlot_SecondRetriesOnScheduleUntilFirstEnds()
    {
        var (swarm, placement) = OneSlotServer();
        SwarmRequest[] requests = [new(0, 0, 0, Shape), new(1, 0, 0, Shape)];
        var router = new RecordingRouter(new FarthestReachRouter(false));
        var result = SwarmTwin.Run(new SwarmTwinInput(swarm, placement, router, AdmissionPolicy.FailFast, requests, 7)
        {
            AllocationMs = 20_000,
            CheckInvariants = true,
        });

        var (first, second) = (result.Requests[0], result.Requests[1]);
        Assert.True(first.EndMs is > 15_000 and < 31_000);
        var secondAttempts = router.Calls.Skip(1).Select(c => c.NowMs).ToArray();
        Assert.Equal([0, 1_000, 3_000, 7_000, 15_000, 31_000], secondAttempts);
        Assert.Equal(31_000, second.StartMs);
        Assert.Equal(5, second.Retries);
        Assert.True(second.Succeeded);
        Assert.Empty(result.InvariantViolations);
    }

    [Fact]
    public void Run_FailFastRetryCapReached_RequestFails()
    {
        var (swarm, placement) = OneSlotServer();
        SwarmRequest[] requests = [new(0, 0, 0, Shape), new(1, 0, 0, Shape)];
        var policy = new FailFastAdmission { MaxRetries = 2 };
        var result = SwarmTwin.Run(new SwarmTwinInput(swarm, placement, new FarthestReachRouter(false), policy, requests, 7)
        {
            AllocationMs = 20_000,
            CheckInvariants = true,
        });

        var second = result.Requests[1];
        Assert.False(second.Succeeded);
        Assert.Equal("failed", second.Outcome);
        Assert.Equal(3_000, second.EndMs); // attempts at 0, 1 s, 3 s
        Assert.Empty(second.Hops);
        Assert.Empty(result.InvariantViolations);
    }

    [Fact]
    public void Run_FailFastRefusal_BanAwareRouterAvoidsServerForFifteenSeconds()
    {
        var model = TestSwarms.Bloom(blocks: 8);
        var swarm = TestSwarms.Build(model, [TestSwarms.A100Server("fast"), TestSwarms.A100Server("slow")], new double[,] { { 5, 5 } });
        var pool = model.SessionCacheBytesPerBlock(Shape.PromptTokens, Shape.OutputTokens) * 8;
        // Server 1's span ends at the model's end too; equal reach, so the router prefers server 0.
        var placement = new BlockPlacement(8, [new BlockSpan(0, 8), new BlockSpan(0, 8)],
            [new CacheBudget(pool, false), new CacheBudget(pool * 10, false)]);
        var requests = Enumerable.Range(0, 6).Select(i => new SwarmRequest(i, 500 + 2_000 * i, 0, Shape)).ToList();
        var router = new RecordingRouter(new FarthestReachRouter(avoidBanned: true));
        var result = SwarmTwin.Run(new SwarmTwinInput(swarm, placement, router, AdmissionPolicy.FailFast, requests, 3)
        {
            AllocationMs = 60_000,
            CheckInvariants = true,
        });

        // Request 1 at 2.5 s finds server 0 full and bans it until 17.5 s; its retry at 3.5 s goes to server 1.
        Assert.Equal([0], result.Requests[0].Servers());
        Assert.Equal([1], result.Requests[1].Servers());
        Assert.Equal(3_500, result.Requests[1].StartMs);
        var banned = router.Calls.Where(c => c.NowMs > 2_500 && c.NowMs < 17_500).ToList();
        Assert.NotEmpty(banned);
        Assert.All(banned, c => Assert.DoesNotContain(c.Route!.Hops, h => h.Server == 0));
        Assert.Empty(result.InvariantViolations);
    }

    [Fact]
    public void Run_SameSeedTwice_IdenticalOutcomes()
    {
        var (a, b) = (RunRandom(seed: 11), RunRandom(seed: 11));
        Assert.Equal(Describe(a), Describe(b));
    }

    [Fact]
    public void Run_DifferentSeedsWithRandomRouter_OutcomesDiffer()
    {
        Assert.NotEqual(Describe(RunRandom(seed: 11)), Describe(RunRandom(seed: 12)));
    }

    private static SwarmRunResult RunRandom(int seed)
    {
        // Swarm and workload are fixed; only the run seed (the router's stream) changes.
        var swarm = TestSwarms.Random(5, servers: 12);
        var placement = TwinFixtures.CoveringPlacement(swarm, Shape, perBlock: true, new Random(5));
        var requests = TwinFixtures.Poisson(new Random(5), 40, ratePerSec: 1);
        return SwarmTwin.Run(new SwarmTwinInput(swarm, placement, new RandomHolderRouter(), AdmissionPolicy.FailFast, requests, seed));
    }

    private static string[] Describe(SwarmRunResult result) =>
        result.Requests.Select(r => FormattableString.Invariant($"{r.Id} {string.Join(",", r.Hops)} {r.Retries} {r.StartMs:R} {r.EndMs:R} {r.Succeeded}")).ToArray();

    [Fact]
    public void Run_NoContention_NoWaitsAndThroughputIsOfferedTokensOverMakespan()
    {
        var swarm = TestSwarms.Random(21, servers: 10);
        var placement = TwinFixtures.CoveringPlacement(swarm, Shape, perBlock: false, new Random(21), sessionsRoom: 1000);
        var requests = TwinFixtures.Poisson(new Random(21), 60, ratePerSec: 2);
        var router = new FarthestReachRouter(false);
        var result = SwarmTwin.Run(new SwarmTwinInput(swarm, placement, router, AdmissionPolicy.Wait, requests, 1) { CheckInvariants = true });

        var performance = new Stamen.Performance.SwarmPerformanceModel(swarm);
        var lastEnd = 0.0;
        foreach (var r in requests)
        {
            var route = router.Choose(new RoutingQuery(r.ClientIndex, r.Shape, r.ArrivalMs, new SwarmState(swarm, placement), new Random(0)))!;
            lastEnd = Math.Max(lastEnd, r.ArrivalMs + 70 + performance.Time(route, r.ClientIndex, r.Shape).TotalMs);
        }
        var offeredTokens = requests.Sum(r => r.Shape.OutputTokens);
        var metrics = Stamen.Simulation.Metrics.SwarmMetrics.From(result);
        Assert.All(result.Requests, r => Assert.Equal(0, r.WaitMs));
        Assert.Equal(offeredTokens / ((lastEnd - requests[0].ArrivalMs) / 1000), metrics.ThroughputTokensPerSec, 1e-6);
        Assert.Equal(0, metrics.Failed);
        Assert.Empty(result.InvariantViolations);
    }

    [Fact]
    public void Run_Timeline_EndsWithEmptyCachesAndMatchesPeak()
    {
        var swarm = TestSwarms.Random(4, servers: 10);
        var placement = TwinFixtures.CoveringPlacement(swarm, Shape, perBlock: true, new Random(4));
        var requests = TwinFixtures.Poisson(new Random(4), 30, ratePerSec: 1);
        var result = SwarmTwin.Run(new SwarmTwinInput(swarm, placement, new FarthestReachRouter(true), AdmissionPolicy.Wait, requests, 4) { RecordTimeline = true });

        Assert.NotEmpty(result.Timeline);
        foreach (var server in result.Servers)
        {
            var points = result.Timeline.Where(p => p.Server == server.Server).ToList();
            var peakCache = points.Count == 0 ? 0 : points.Max(p => p.CacheBytesUsed);
            Assert.Equal(server.WeightBytes + peakCache, server.PeakMemoryBytes, 1e-3);
            Assert.InRange(server.MeanMemoryBytes, server.WeightBytes - 1e-3, server.PeakMemoryBytes + 1e-3);
            if (points.Count > 0) Assert.Equal(0, points[^1].CacheBytesUsed, 1e-3);
        }
        Assert.Equal(0, result.Timeline[^1].WaitingRequests);
    }
}
