using Stamen.Hardware;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Simulation.Swarm;
using Stamen.Swarm;
using Stamen.Tests.Routing;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Published;

/// <summary>
/// Each rule where the published simulator and Stamen's realistic default differ (docs/model.md,
/// "Published simulator vs Stamen"), on a hand-built instance of 2-4 servers whose expected outcome
/// is worked out here by hand: both values of the option, and that they differ as specified.
/// </summary>
public sealed class PublishedRuleTests
{
    private static readonly RequestShape Typical = new(20, 64);

    // Published measured rates (reference section 1 / issue 13): A100 and MIG 1g.10gb, tokens/s.
    private static readonly PetalsRates A100Rates = new(20_829, 3_020);
    private static readonly PetalsRates MigRates = new(2_758, 3_138);

    /// <summary>A server that PETALS' rule gives exactly <paramref name="blocks"/> blocks of <paramref name="model"/>.</summary>
    private static ServerSpec ServerHolding(string name, int blocks, Stamen.Model.ModelSpec model, BlockTimes times, PetalsRates rates)
    {
        var options = PetalsPlacementOptions.Default;
        var perBlock = model.BlockBytes + PetalsPlacementPlanner.CacheBytesPerBlock(model, options);
        return new ServerSpec(name, "test", -1, options.ReservedBytesFor(model) + (blocks + 0.5) * perBlock, times, model.NumBlocks) { Rates = rates };
    }

    private static SwarmSpec Listed(Stamen.Model.ModelSpec model, params ServerSpec[] servers) =>
        TestSwarms.Build(model, servers, new double[1, servers.Length]) with { ServersListed = true };

    private static PlacementPlan Petals(SwarmSpec swarm, PetalsPlacementOptions options) =>
        new PetalsPlacementPlanner(options).Plan(new PlanningContext(swarm, Typical, 0.1, 0, 1));

    [Fact]
    public void Throughput_MeasuredVsDecodeRate_HandWorkedValues()
    {
        var bloom = TestSwarms.Bloom();
        var a100 = TestSwarms.A100Server("a") with { Rates = A100Rates };
        var mig = TestSwarms.MigServer("m") with { Rates = MigRates };
        var measured = PetalsPlacementOptions.Default;
        var decode = measured with { Throughput = PetalsThroughputSource.DecodeRate };

        // Measured: min(forward / ((m + 1) / 2), network).
        Assert.Equal(20_829 / 27.0, PetalsPlacementPlanner.ServerThroughputRps(a100, 53, bloom, measured), 9);
        Assert.Equal(3_020, PetalsPlacementPlanner.ServerThroughputRps(a100, 4, bloom, measured), 9);
        Assert.Equal(2_758 / 2.0, PetalsPlacementPlanner.ServerThroughputRps(mig, 3, bloom, measured), 9);
        // Decode rate: 1000 / tau over (m + 1) / 2; network 1 Gbit/s / (14336 x 16) = 4,359.65 rps does not bind.
        Assert.Equal(1000 / 3.2197 / 27.0, PetalsPlacementPlanner.ServerThroughputRps(a100, 53, bloom, decode), 9);
        Assert.Equal(1000 / 16.2488 / 2.0, PetalsPlacementPlanner.ServerThroughputRps(mig, 3, bloom, decode), 9);
    }

    [Fact]
    public void Throughput_SourceDecidesWhichWindowAJoiningServerTakes()
    {
        // L = 28; "big" (A100 times, 25 blocks) joins at [0, 25), mig-1 (3 blocks) covers [25, 28).
        // A second MIG then takes the weaker of the two. Measured: big = 20829 / 13 = 1602 rps, a MIG
        // 2758 / 2 = 1379 rps, so the MIG side is weaker and the newcomer stacks on [25, 28). Decode
        // rate: big = (1000 / 3.2197) / 13 = 23.9 rps, a MIG (1000 / 16.2488) / 2 = 30.8 rps, so big's
        // blocks are weaker: every window from 0 to 22 is [big, big, big]; the smallest start wins.
        var model = TestSwarms.Bloom(28);
        var swarm = Listed(model,
            ServerHolding("big", 25, model, TestSwarms.A100, A100Rates),
            ServerHolding("mig-1", 3, model, TestSwarms.Mig, MigRates),
            ServerHolding("mig-2", 3, model, TestSwarms.Mig, MigRates));
        var options = PetalsPlacementOptions.Default with { Rebalance = false };

        var measured = Petals(swarm, options).Placement.Spans;
        var decode = Petals(swarm, options with { Throughput = PetalsThroughputSource.DecodeRate }).Placement.Spans;

        Assert.Equal([new BlockSpan(0, 25), new BlockSpan(25, 3), new BlockSpan(25, 3)], measured);
        Assert.Equal([new BlockSpan(0, 25), new BlockSpan(25, 3), new BlockSpan(0, 3)], decode);
    }

    [Fact]
    public void Throughput_ServerWithoutMeasuredRates_FallsBackAndIsCounted()
    {
        var model = TestSwarms.Bloom(8);
        var swarm = Listed(model, ServerHolding("a", 8, model, TestSwarms.A100, new PetalsRates(null, null)),
            ServerHolding("b", 8, model, TestSwarms.A100, A100Rates));

        var plan = Petals(swarm, PetalsPlacementOptions.Default);

        Assert.Equal(1, plan.Figures["throughput_fallback_servers"]);
    }

    [Fact]
    public void Rebalance_OnMovesTheFirstA100_OffKeepsIt()
    {
        // Listed: two A100s (49 blocks each, decode-rate throughput (1000 / 3.2197) / 25 = 12.4 rps)
        // then seven MIGs (3 blocks, (1000 / 16.2488) / 2 = 30.8 rps). a100-1 joins at [0, 49),
        // a100-2 must cover 49..69 so takes [21, 70), and the MIGs fill the weakest blocks 0..20.
        // Blocks 49..69 are left at 12.4 rps. Rebalancing moves a100-1 onto [21, 70): every block
        // from 21 on then has 24.8 rps and blocks 0..20 keep the MIGs' 30.8, so the minimum doubles
        // (old / new = 0.5 < 0.75). Without rebalancing a100-1 stays at 0.
        var model = TestSwarms.Bloom();
        var servers = new List<ServerSpec> { TestSwarms.A100Server("a100-1"), TestSwarms.A100Server("a100-2") };
        for (var k = 1; k <= 7; k++) servers.Add(TestSwarms.MigServer($"mig-{k}"));
        var swarm = Listed(model, [.. servers]);
        var options = PetalsPlacementOptions.Default with { Throughput = PetalsThroughputSource.DecodeRate };
        var tA100 = 1000 / 3.2197 / 25;

        var off = Petals(swarm, options with { Rebalance = false });
        var on = Petals(swarm, options);

        Assert.Equal(new BlockSpan(0, 49), off.Placement.Spans[0]);
        Assert.Equal(new BlockSpan(21, 49), off.Placement.Spans[1]);
        Assert.Equal(0, off.Figures["moves"]);
        Assert.Equal(tA100, off.Figures["min_block_throughput_rps"], 9);
        Assert.Equal(new BlockSpan(21, 49), on.Placement.Spans[0]);
        Assert.True(on.Figures["moves"] >= 1);
        Assert.Equal(2 * tA100, on.Figures["min_block_throughput_rps"], 9);
    }

    [Fact]
    public void CachePool_PerBlockVsServerSlots_SessionCountsAsPublished()
    {
        // BLOOM: cache per block = 2 x 14336 x 4096 x 2 B = 234,881,024 B; s_c(20 + 64 tokens) =
        // 2 x 14336 x 84 x 2 B = 4,816,896 B. Per-block pools: floor(234,881,024 / 4,816,896) = 48
        // sessions whatever the hop. Server slots (3 blocks held): floor(3 x 234,881,024 / 4,816,896) = 146.
        var model = TestSwarms.Bloom(3);
        var swarm = Listed(model, ServerHolding("a", 3, model, TestSwarms.A100, A100Rates));
        var sc = model.SessionCacheBytesPerBlock(20, 64);
        Assert.Equal(4_816_896, sc);

        var perBlock = Petals(swarm, PetalsPlacementOptions.Default).Placement;
        var slots = Petals(swarm, PetalsPlacementOptions.Default with { CachePool = PetalsCachePool.ServerSlots }).Placement;

        Assert.Equal(48, AdmittedTogether(perBlock, sc));
        Assert.Equal(146, AdmittedTogether(slots, sc));
    }

    /// <summary>Sessions over the whole span admitted at t = 0 by the ledger before it refuses one.</summary>
    private static int AdmittedTogether(BlockPlacement placement, double sc)
    {
        var ledger = new CacheLedger(placement.Caches[0], placement.Spans[0]);
        var admitted = 0;
        while (ledger.CanHostNow(0, placement.NumBlocks, sc, 0) && admitted < 10_000)
        {
            ledger.Commit(new CacheCommitment(0, 1000, 0, placement.NumBlocks, sc));
            admitted++;
        }
        return admitted;
    }

    [Fact]
    public void FullServer_CannotHostVsExactCount_PenaltyWhereSpecified()
    {
        // Two servers hold all 4 blocks with session-slot pools (4 x 48 = 195 slots for s_c of 20 + 64;
        // floor(4 x 234,881,024 / 4,816,896) = 195). "fast" is quicker per block, so it wins unless
        // penalised. The published limit is floor(cache per block / s_c) = 48 sessions.
        var model = TestSwarms.Bloom(4);
        var swarm = Listed(model,
            ServerHolding("fast", 4, model, TestSwarms.A100, A100Rates),
            ServerHolding("slow", 4, model, TestSwarms.Mig with { DecodeMsPerBlock = 50 }, MigRates));
        var placement = Petals(swarm, PetalsPlacementOptions.Default with { CachePool = PetalsCachePool.ServerSlots, Rebalance = false }).Placement;
        var sc = model.SessionCacheBytesPerBlock(20, 64);

        int Chosen(int sessionsOnFast, PetalsFullServerTest test)
        {
            var state = new SwarmState(swarm, placement);
            for (var i = 0; i < sessionsOnFast; i++) state.Ledger(0).Commit(new CacheCommitment(0, 1000, 0, 4, sc));
            var router = new PetalsMinLatencyRouter(swarm, placement, test);
            Assert.Equal(48, router.PublishedSessionLimit(0, sc));
            return router.Choose(new RoutingQuery(0, Typical, 0, state, new Random(1)))!.Hops.Single().Server;
        }

        // 48 sessions: slots remain, so the hop can host (no penalty), but the count equals the limit.
        Assert.Equal(0, Chosen(48, PetalsFullServerTest.CannotHost));
        Assert.Equal(1, Chosen(48, PetalsFullServerTest.ExactCount));
        // 49 sessions: past the limit the published test no longer penalises.
        Assert.Equal(0, Chosen(49, PetalsFullServerTest.ExactCount));
        // 195 sessions fill every slot: only the realistic test sees a full server.
        Assert.Equal(1, Chosen(195, PetalsFullServerTest.CannotHost));
        Assert.Equal(0, Chosen(195, PetalsFullServerTest.ExactCount));
    }

    [Fact]
    public void Admission_WaitVsFailFast_StartTimesOnTheRetrySchedule()
    {
        // One server holds both blocks with room for one session (per-block pools of exactly s_c).
        // Request 0 arrives at 0 and holds the cache for its service time T; request 1 arrives at 0.5 s.
        // T (closed form, one hop of 2 blocks, client RTTs 0 + 100 ms per token, 67 ms + 0.7049 ms x l_in first):
        var model = TestSwarms.Bloom(2);
        var shape = new RequestShape(20, 16);
        var swarm = TestSwarms.Build(model, [TestSwarms.A100Server("a")], new double[1, 1]);
        var sc = model.SessionCacheBytesPerBlock(shape.PromptTokens, shape.OutputTokens);
        var placement = new BlockPlacement(2, [new BlockSpan(0, 2)], [new CacheBudget(sc, PerBlock: true)]);
        var firstMs = 67 + 0.7049 * 20 + 2 * (0.0743 * 20 + 32.99);
        var perTokenMs = 100 + 2 * 3.2197;
        var serviceMs = firstMs + 15 * perTokenMs;
        Assert.InRange(serviceMs, 1_000, 7_000); // 1.65 s: request 1 must wait past its first retry

        double StartOfSecond(AdmissionPolicy policy)
        {
            var input = new SwarmTwinInput(swarm, placement, new PetalsMinLatencyRouter(swarm, placement), policy,
                [new SwarmRequest(0, 0, 0, shape), new SwarmRequest(1, 500, 0, shape)], 1) { SessionStartMs = 0, CheckInvariants = true };
            var result = SwarmTwin.Run(input);
            Assert.Empty(result.InvariantViolations);
            return result.Requests[1].StartMs;
        }

        // Wait: route once at arrival, start at the first retry time at or after the cache frees:
        // offsets 0, 1, 3, 7 s after 0.5 s; the first at or after T - 0.5 s.
        var wait = StartOfSecond(AdmissionPolicy.Wait);
        Assert.Equal(500 + RetrySchedule.RoundUpMs(serviceMs - 500), wait, 6);
        // Fail fast: refused at 0.5 s and the only server banned for 15 s; retries at 1.5, 3.5, 7.5 s
        // find it banned (no route), so the first admission is the retry at 15.5 s.
        var failFast = StartOfSecond(AdmissionPolicy.FailFast);
        Assert.Equal(15_500, failFast, 6);
        Assert.True(failFast > wait);
    }

    [Fact]
    public void ThroughputTies_ExactSumsInJoinOrderVsTolerance()
    {
        // Block 0 holds servers of 0.1, 0.2 and 0.3 rps; block 1 one server of 0.6. Summed in join order
        // 0.1 + 0.2 + 0.3 = 0.6000000000000001 > 0.6, so an exact comparison sends a newcomer to block 1;
        // within a relative 1e-9 the two tie and the smallest start wins.
        var selection = new PetalsBlockSelection(2, [1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.6, 1]);
        selection.Join(0, 0);
        selection.Join(1, 0);
        selection.Join(2, 0);
        selection.Join(3, 1);
        var t = selection.BlockThroughputs();
        Assert.Equal(0.1 + 0.2 + 0.3, t[0]);
        Assert.NotEqual(0.6, t[0]);

        Assert.Equal(1, PetalsBlockSelection.BestStart(t, 1, tolerance: 0));
        Assert.Equal(0, PetalsBlockSelection.BestStart(t, 1, tolerance: 1e-9));

        // Joined in the other order, 0.3 + 0.2 + 0.1 is exactly 0.6: the exact comparison ties too.
        var reversed = new PetalsBlockSelection(2, [1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.6, 1]);
        reversed.Join(2, 0);
        reversed.Join(1, 0);
        reversed.Join(0, 0);
        reversed.Join(3, 1);
        Assert.Equal(0, PetalsBlockSelection.BestStart(reversed.BlockThroughputs(), 1, tolerance: 0));
    }

    [Fact]
    public void CgBpT1_InitialOnlyVsWithAllocation_SizesRAsWorkedOut()
    {
        // One A100 at 0 ms propagation RTT holds all 2 blocks; one request alone takes (closed form)
        // first = 67 + 0.7049 x 20 + 2 x (0.0743 x 20 + 32.99), then 63 tokens of 100 + 2 x 3.2197 ms.
        // Delays: 70 ms initial, 60 s allocation; lambda = 0.5/s. R = round(mean + sqrt(mean)), mean = lambda T1.
        var model = TestSwarms.Bloom(2);
        var swarm = TestSwarms.Build(model, [TestSwarms.A100Server("a")], new double[1, 1]);
        var aloneMs = 67 + 0.7049 * 20 + 2 * (0.0743 * 20 + 32.99) + 63 * (100 + 2 * 3.2197);
        var context = new PlanningContext(swarm, Typical, 0.5, 60_070, 1) { AllocationDelayMs = 60_000 };

        static int R(double t1Ms)
        {
            var mean = 0.5 * t1Ms / 1000;
            return (int)Math.Round(mean + Math.Sqrt(mean), MidpointRounding.ToEven);
        }

        var withAllocation = new CgBpPlanner().Plan(context);
        var initialOnly = new CgBpPlanner(new CgBpOptions { T1Delays = CgBpT1Delays.InitialOnly }).Plan(context);

        Assert.Equal(aloneMs + 60_070, withAllocation.Figures["t1_ms"], 6);
        Assert.Equal(aloneMs + 70, initialOnly.Figures["t1_ms"], 6);
        Assert.Equal(R(aloneMs + 60_070), withAllocation.Figures["sessions_R_requested"]);
        Assert.Equal(R(aloneMs + 70), initialOnly.Figures["sessions_R_requested"]);
        Assert.Equal(39, R(aloneMs + 60_070)); // alone 6,855.7 ms; mean 33.46: 33.46 + 5.78 = 39.2
        Assert.Equal(5, R(aloneMs + 70));      // mean 3.46: 3.46 + 1.86 = 5.3
    }

    [Fact]
    public void WsRrWait_RawVsRetryRounded_ChoosesAsWorkedOut()
    {
        // Two servers hold both blocks. "fast" must wait 1.5 s for cache; "slow" is free now but its
        // published link cost l_max (RTT + tau k) is 2 s higher (64 x 31.25 ms per token more).
        // Raw: 1.5 s + cost < cost + 2 s, so fast. Rounded: the wait costs the 3 s retry offset
        // (retries at 1, 3 s) > 2 s, so slow.
        var model = TestSwarms.Bloom(2);
        var fast = TestSwarms.A100Server("fast");
        var slow = fast with { Name = "slow", Times = fast.Times with { DecodeMsPerBlock = fast.Times.DecodeMsPerBlock + 31.25 / 2 } };
        var swarm = TestSwarms.Build(model, [fast, slow], new double[1, 2]);
        var placement = new BlockPlacement(2, [new BlockSpan(0, 2), new BlockSpan(0, 2)],
            [new CacheBudget(1e9, false), new CacheBudget(1e9, false)]);
        var state = new StaticSwarmState(swarm, placement);
        state.ReadyAtMs[0] = 1_500;
        var query = new RoutingQuery(0, Typical, 0, state, new Random(1));

        var raw = new WsRrRouter(swarm, placement, HopCostMode.Published, WsRrWaitCost.Raw).ChooseWithCost(query);
        var rounded = new WsRrRouter(swarm, placement, HopCostMode.Published, WsRrWaitCost.RetryRounded).ChooseWithCost(query);

        var fastCost = 64 * (100 + 2 * 3.2197);
        Assert.Equal(0, raw.Route!.Hops.Single().Server);
        Assert.Equal(1_500 + fastCost, raw.PathCostMs, 6);
        Assert.Equal(1, rounded.Route!.Hops.Single().Server);
        Assert.Equal(fastCost + 2_000, rounded.PathCostMs, 6);
    }
}
