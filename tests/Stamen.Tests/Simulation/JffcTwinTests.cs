using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Simulation.Swarm;
using Stamen.Swarm;
using Stamen.Tests.Placement;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Simulation;

/// <summary>JFFC with its central queue in the twin, on hand-built chains and on GBP-CR + GCA plans.</summary>
public class JffcTwinTests
{
    private const int Blocks = 8;
    private const double FastRttMs = 2, SlowRttMs = 300;
    private static readonly RequestShape Shape = new(20, 64);

    /// <summary>Two A100s each holding the whole 8-block model: server 0 far (slow), server 1 near (fast).</summary>
    private static SwarmSpec TwoServers() =>
        TestSwarms.Build(TestSwarms.Bloom(Blocks), [TestSwarms.A100Server("slow"), TestSwarms.A100Server("fast")], new double[,] { { SlowRttMs, FastRttMs } });

    /// <summary>One single-hop chain per listed (server, slots), pools sized to exactly those slots.</summary>
    private static BlockPlacement WholeModelChains(SwarmSpec swarm, params (int Server, int Slots)[] chains)
    {
        var sc = swarm.Model.SessionCacheBytesPerBlock(Shape.PromptTokens, Shape.OutputTokens);
        var spans = Enumerable.Repeat(new BlockSpan(0, Blocks), swarm.ServerCount).ToList();
        var pools = new double[swarm.ServerCount];
        foreach (var (server, slots) in chains) pools[server] += slots * sc * Blocks;
        return new BlockPlacement(Blocks, spans, pools.Select(b => new CacheBudget(b, false)).ToList())
        {
            Chains = chains.Select(c => new ComposedChain(new Route([new RouteHop(c.Server, 0, Blocks)]), c.Slots)).ToList(),
        };
    }

    private static SwarmRunResult Run(SwarmSpec swarm, BlockPlacement placement, IReadOnlyList<double> arrivalsMs, double fixedMs = 0)
    {
        var requests = arrivalsMs.Select((t, i) => new SwarmRequest(i, t, 0, Shape)).ToList();
        var result = SwarmTwin.Run(new SwarmTwinInput(swarm, placement, new JffcRouter(swarm, placement), AdmissionPolicy.CentralQueue, requests, 1)
        {
            SessionStartMs = fixedMs,
            AllocationMs = 0,
            CheckInvariants = true,
        });
        Assert.Empty(result.InvariantViolations);
        return result;
    }

    [Fact]
    public void Jffc_FastChainBusy_SecondRequestTakesSlowChainThirdWaitsForFast()
    {
        var swarm = TwoServers();
        // The slow chain is listed first, so index order cannot explain the choice.
        var placement = WholeModelChains(swarm, (0, 1), (1, 1));

        var r = Run(swarm, placement, [0, 1000, 2000]).Requests;

        Assert.Equal([1], r[0].Servers());
        Assert.Equal(0, r[0].WaitMs);
        Assert.Equal([0], r[1].Servers());
        Assert.Equal(1000, r[1].StartMs);
        // Both chains are full at 2 s; the fast chain frees first and the queue's head takes it then.
        Assert.True(r[0].EndMs < r[1].EndMs);
        Assert.Equal([1], r[2].Servers());
        Assert.Equal(r[0].EndMs, r[2].StartMs);
    }

    [Fact]
    public void CentralQueue_OneChainOneSlot_SecondStartsExactlyWhenFirstEnds()
    {
        var swarm = TwoServers();
        var placement = WholeModelChains(swarm, (1, 1));

        var r = Run(swarm, placement, [0, 500], fixedMs: 70).Requests;

        Assert.Equal(r[0].EndMs, r[1].StartMs);
        Assert.Equal(r[0].EndMs - 500, r[1].WaitMs);
        Assert.Equal(0, r[1].Retries);
    }

    [Fact]
    public void CentralQueue_SingleRequest_TotalEqualsClosedForm()
    {
        var swarm = TwoServers();
        var placement = WholeModelChains(swarm, (1, 1));

        var r = Run(swarm, placement, [0], fixedMs: 70).Requests[0];

        // Reference section 1 with the A100 calibration: first token (RTT_in + k tau_in(l_in)),
        // then l_max - 1 tokens of (RTT + k tau), after the 70 ms session start.
        var first = (FastRttMs + 67 + 0.7049 * 20) + Blocks * (0.0743 * 20 + 32.99);
        var perToken = (FastRttMs + 100) + Blocks * 3.2197;
        Assert.Equal(70 + first + 63 * perToken, r.TotalMs, 6);
        Assert.Equal(70 + first, r.FirstTokenMs, 6);
        Assert.Equal(0, r.WaitMs);
    }

    [Fact]
    public void CentralQueue_OneChainThreeSlots_StartsFollowFifoRecursion()
    {
        var swarm = TwoServers();
        var placement = WholeModelChains(swarm, (1, 3));
        var rng = new Random(5);
        var arrivals = new List<double>();
        var t = 0.0;
        for (var i = 0; i < 60; i++) arrivals.Add(t += -Math.Log(1 - rng.NextDouble()) * 2000);

        var r = Run(swarm, placement, arrivals).Requests;

        var durationMs = r[0].EndMs - r[0].StartMs;
        var expected = new double[r.Count];
        for (var i = 0; i < r.Count; i++)
        {
            expected[i] = arrivals[i];
            if (i >= 1) expected[i] = Math.Max(expected[i], expected[i - 1]);
            if (i >= 3) expected[i] = Math.Max(expected[i], expected[i - 3] + durationMs);
            Assert.Equal(expected[i], r[i].StartMs, 6);
        }
        Assert.Contains(r, x => x.WaitMs > 0);
    }

    [Fact]
    public void GbpCrGcaJffc_RandomSwarmsHeavyLoad_NoViolationsAndPeakWithinMemory()
    {
        for (var seed = 0; seed < 25; seed++)
        {
            var swarm = TestSwarms.Random(seed, servers: 6 + seed % 10, clients: 1 + seed % 2, blocks: seed % 2 == 0 ? 20 : 70, a100Fraction: 0.3);
            var context = PlannerPropertyTests.Context(swarm, seed);
            PlacementPlan plan;
            try { plan = new GbpCrPlanner().Plan(context); }
            catch (StamenInputException) { continue; }
            var rng = new Random(seed);
            var requests = new List<SwarmRequest>();
            var t = 0.0;
            for (var i = 0; i < 150; i++)
                requests.Add(new SwarmRequest(i, t += -Math.Log(1 - rng.NextDouble()) * 200, rng.Next(swarm.ClientCount), new RequestShape(20, rng.Next(2) == 0 ? 64 : 128)));
            var placement = plan.Placement;

            var result = SwarmTwin.Run(new SwarmTwinInput(swarm, placement, new JffcRouter(swarm, placement), AdmissionPolicy.CentralQueue, requests, seed)
            {
                CheckInvariants = true,
            });

            Assert.Empty(result.InvariantViolations);
            Assert.All(result.Servers, s => Assert.True(s.PeakMemoryBytes <= s.MemoryLimitBytes * (1 + 1e-9), $"seed {seed}: server {s.Server}"));
            var succeeded = result.Requests.Where(x => x.Succeeded).OrderBy(x => x.ArrivalMs).ThenBy(x => x.Id).ToList();
            for (var i = 1; i < succeeded.Count; i++)
                Assert.True(succeeded[i].StartMs >= succeeded[i - 1].StartMs, $"seed {seed}: FIFO broken at request {succeeded[i].Id}");
            Assert.All(succeeded, x => Assert.Contains(placement.Chains, c => c.Route.Hops.SequenceEqual(x.Hops)));
        }
    }
}
