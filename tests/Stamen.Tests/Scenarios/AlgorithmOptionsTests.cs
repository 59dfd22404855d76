using Stamen.Algorithms;
using Stamen.Experiments;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Scenarios;

namespace Stamen.Tests.Scenarios;

/// <summary>
/// Algorithm options in scenario files (issue 13): maps of parts with options, presets, errors all at
/// once, PETALS' join order, the planning rate, server-to-server RTTs in PETALS routing, and a fully
/// explicit replay whose every request obeys the closed-form model under the published presets.
/// </summary>
public sealed class AlgorithmOptionsTests
{
    /// <summary>Three listed servers with every delay measured; `{algorithms}` is replaced per test.</summary>
    private const string Replay = """
        name: replay
        seed: 1
        runs: 1
        model: bloom-176b
        servers:
          list:
            - name: s-a
              gpu: a100-80gb
              rtt_ms: {u: 120}
              first_token_rtt_ms: {u: 150}
              server_rtt_ms: {s-b: 10, s-c: 60}
            - name: s-b
              gpu: a100-80gb
              rtt_ms: {u: 140}
              first_token_rtt_ms: {u: 170}
              server_rtt_ms: {s-c: 30}
            - name: s-c
              gpu: a100-mig-1g.10gb
              rtt_ms: {u: 110}
              first_token_rtt_ms: {u: 130}
        clients:
          - {name: u}
        workload:
          arrivals:
            - {at_s: 0.0, prompt_tokens: 20, output_tokens: 64}
            - {at_s: 0.5, prompt_tokens: 20, output_tokens: 64}
            - {at_s: 1.0, prompt_tokens: 30, output_tokens: 32}
            - {at_s: 2.0, prompt_tokens: 20, output_tokens: 64}
            - {at_s: 10.0, prompt_tokens: 20, output_tokens: 128}
            - {at_s: 30.0, prompt_tokens: 20, output_tokens: 64}
        algorithms: {algorithms}
        """;

    private static ScenarioResolver Resolve(string yaml)
    {
        using var folder = new TempFolder();
        return ScenarioResolver.Create(ScenarioParser.ParseFile(folder.Write("s.yaml", yaml)));
    }

    private static StamenInputException Fail(string yaml)
    {
        using var folder = new TempFolder();
        var path = folder.Write("s.yaml", yaml);
        return Assert.Throws<StamenInputException>(() => ScenarioResolver.Create(ScenarioParser.ParseFile(path)));
    }

    private static string WithAlgorithms(string algorithms) => Replay.Replace("{algorithms}", algorithms, StringComparison.Ordinal);

    [Fact]
    public void Algorithms_MapWithOptions_BuildsThePartsAsWritten()
    {
        var resolver = Resolve(WithAlgorithms("""

              - petals
              - name: my-petals
                placement: {name: petals, rebalance: false, join_order: [s-c, s-a], cache_pool: server-slots}
                routing: {name: petals-min-latency, full_server: exact-count}
                admission: {name: wait, max_retries: 7}
              - {name: tuned, base: cg-bp+ws-rr, routing: {wait_cost: raw}}
            """));

        var mine = resolver.FindAlgorithm("my-petals").Parts;
        Assert.False(mine.Placement.Options.Bool("rebalance"));
        Assert.Equal(["s-c", "s-a"], mine.Placement.Options.Names("join_order")!.Value.ToArray());
        Assert.Equal("exact-count", mine.Routing.Options.Choice("full_server"));
        Assert.Equal(7, AdmissionCatalog().Create(mine.Admission).MaxRetries);
        var tuned = resolver.FindAlgorithm("tuned").Parts;
        Assert.Equal("ws-rr", tuned.Routing.Name);
        Assert.Equal("raw", tuned.Routing.Options.Choice("wait_cost"));
        Assert.Equal("exact", tuned.Routing.Options.Choice("hop_cost"));
        Assert.Equal("cg-bp", tuned.Placement.Name);
        Assert.Equal("ws-rr {wait_cost=raw}", tuned.Routing.ToString());
    }

    private static Stamen.Options.Catalog<Stamen.Simulation.Swarm.AdmissionPolicy> AdmissionCatalog() => Stamen.Simulation.Swarm.AdmissionCatalog.Policies;

    [Fact]
    public void Algorithms_PresetNames_EqualTheirOptionsWrittenOut()
    {
        var resolver = Resolve(WithAlgorithms("""

              - petals-no-rebalance
              - {name: written-out, placement: {name: petals, rebalance: false}, routing: petals-min-latency, admission: fail-fast}
            """));
        var run = resolver.Resolve(0);
        var preset = SwarmExperiment.Plan(run, resolver.FindAlgorithm("petals-no-rebalance")).Plan.Placement;
        var written = SwarmExperiment.Plan(run, resolver.FindAlgorithm("written-out")).Plan.Placement;
        Assert.Equal(preset.Spans, written.Spans);
        Assert.Equal(preset.Caches, written.Caches);
    }

    [Fact]
    public void Algorithms_BadOptions_EveryProblemReportedAtOnceWithFieldAndLine()
    {
        var e = Fail(WithAlgorithms("""

              - name: bad
                placement: {name: petals, rebalnce: false, balance_quality: 3, cache_pool: huge}
                routing: {name: ws-rr, wait_cost: [a, b]}
                admission: {name: wait, max_retries: lots}
            """));

        Assert.Equal(5, e.Count);
        Assert.Contains("algorithms[0].placement.rebalnce (line", e.Message, StringComparison.Ordinal);
        Assert.Contains("'rebalnce' is not an option of petals", e.Message, StringComparison.Ordinal);
        Assert.Contains("algorithms[0].placement.balance_quality (line", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 is out of range", e.Message, StringComparison.Ordinal);
        Assert.Contains("'huge' is not allowed", e.Message, StringComparison.Ordinal);
        Assert.Contains("per-block, server-slots", e.Message, StringComparison.Ordinal);
        Assert.Contains("algorithms[0].routing.wait_cost", e.Message, StringComparison.Ordinal);
        Assert.Contains("'lots' is not a whole number", e.Message, StringComparison.Ordinal);
        Assert.Equal(5, e.Message.Split('\n').Length);
    }

    [Theory]
    [InlineData("{name: x, placement: {name: petals, join_order: [s-a, nobody]}, routing: petals-min-latency, admission: wait}", "'nobody' is not a server of this scenario")]
    [InlineData("{name: x, placement: {name: petals, join_order: [s-a, s-a]}, routing: petals-min-latency, admission: wait}", "'s-a' is listed twice")]
    [InlineData("{name: x, placement: {name: cg-bp, sessions: 0}, routing: ws-rr, admission: wait}", "0 is out of range")]
    [InlineData("{name: x, placement: {name: nope}, routing: ws-rr, admission: wait}", "unknown placement planner 'nope'")]
    [InlineData("{name: x, placement: {rebalance: false}, routing: ws-rr, admission: wait}", "has options but no name")]
    [InlineData("{name: x, base: petals, fixed_delays: sometimes}", "'sometimes' is not allowed")]
    [InlineData("{name: x, base: petals, placement: {name: petals, tie_tolerance: 1}}", "1 is out of range")]
    public void Algorithms_BadValue_ClearError(string entry, string problem)
    {
        var e = Fail(WithAlgorithms($"[{entry}]"));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains("algorithms[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JoinOrder_UnknownServer_NamesTheOptionsFieldAndLine()
    {
        var e = Fail(WithAlgorithms("\n  - {name: x, base: petals, placement: {join_order: [s-a, nobody]}}"));
        Assert.StartsWith("algorithms[0].placement.join_order (line", e.Field, StringComparison.Ordinal);
        Assert.Contains("s-a, s-b, s-c", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void JoinOrder_ListedSwarm_JoinsInListedOrderByDefault()
    {
        // PETALS' count for an A100 (79.13 GB, 2 GiB reserved, 4096-token cache per block) is 49 blocks.
        // Listed order: s-a joins at 0, s-b must cover 49..69 so takes [21, 70). Named [s-b, s-a, s-c]: the reverse.
        var resolver = Resolve(WithAlgorithms("""

              - petals-no-rebalance
              - {name: named, base: petals-no-rebalance, placement: {join_order: [s-b, s-a, s-c]}}
            """));
        var run = resolver.Resolve(0);
        Assert.True(run.Swarm.ServersListed);
        var listed = SwarmExperiment.Plan(run, resolver.FindAlgorithm("petals-no-rebalance")).Plan.Placement.Spans;
        var named = SwarmExperiment.Plan(run, resolver.FindAlgorithm("named")).Plan.Placement.Spans;
        Assert.Equal((0, 49), (listed[0].Start, listed[0].Count));
        Assert.Equal((21, 49), (listed[1].Start, listed[1].Count));
        Assert.Equal((0, 49), (named[1].Start, named[1].Count));
        Assert.Equal((21, 49), (named[0].Start, named[0].Count));
    }

    [Fact]
    public void PlanningRate_GivenEstimatedOrPoisson_SummarySaysWhich()
    {
        var estimated = Resolve(WithAlgorithms("[cg-bp+ws-rr]")).Resolve(0);
        Assert.Equal("estimated from the arrivals", estimated.RateSource);
        Assert.Equal(5 / 30.0, estimated.ArrivalRatePerSec, 12);

        var given = Resolve(WithAlgorithms("[cg-bp+ws-rr]").Replace("workload:\n", "workload:\n  planning_rate_per_s: 0.25\n", StringComparison.Ordinal)).Resolve(0);
        Assert.Equal("given", given.RateSource);
        Assert.Equal(0.25, given.ArrivalRatePerSec);
        Assert.Equal("poisson rate", ScenarioResolver.Create(ScenarioParser.ParseText(ScenarioFiles.Small, "small.yaml", ".")).Resolve(0).RateSource);
    }

    [Fact]
    public void PetalsRouting_ServerToServerHop_PricedByTheRttBetweenTheServers()
    {
        // s-a holds [0, 49), s-b [21, 70), the MIG 3 blocks. From s-a the next hop costs
        // rtt(s-a, next)/2 + 18 ms + tau k: s-b is 10 ms away (a hub-spoke model would use the client's 140 ms).
        var resolver = Resolve(WithAlgorithms("[petals-no-rebalance]"));
        var run = resolver.Resolve(0);
        var planned = SwarmExperiment.Plan(run, resolver.FindAlgorithm("petals-no-rebalance"));
        var router = (PetalsMinLatencyRouter)planned.Router;
        var state = new Stamen.Simulation.Swarm.SwarmState(run.Swarm, planned.Plan.Placement);
        var (route, cost) = router.ChooseWithCost(new RoutingQuery(0, new(20, 64), 0, state, new Random(1)));
        Assert.Equal(10, run.Swarm.Delays.ServerRttMs(0, 1));
        Assert.Equal(30, run.Swarm.Delays.ServerRttMs(1, 2));

        // Enumerate the chains by hand: every chain is a1 -> (b | c ...) with hop costs worked out here.
        var spans = planned.Plan.Placement.Spans;
        double Tau(int j) => run.Swarm.Servers[j].Times.DecodeMsPerBlock;
        var best = double.PositiveInfinity;
        foreach (var chain in ChainsFromTo(spans, 0, 70))
        {
            double c = 0;
            var at = 0;
            for (var h = 0; h < chain.Count; h++)
            {
                var j = chain[h];
                var rtt = h == 0 ? run.Swarm.Delays.ClientPropagationRttMs(0, j) : run.Swarm.Delays.ServerRttMs(chain[h - 1], j);
                c += rtt / 2 + 18 + (spans[j].End - at) * Tau(j);
                at = spans[j].End;
            }
            c += run.Swarm.Delays.ClientPropagationRttMs(0, chain[^1]) / 2;
            best = Math.Min(best, c);
        }
        Assert.Equal(best, cost, 9);
        Assert.Equal(best, 120 / 2.0 + 18 + 49 * Tau(0) + 10 / 2.0 + 18 + 21 * Tau(1) + 140 / 2.0, 9);
        Assert.Equal([0, 1], route!.Hops.Select(h => h.Server));
    }

    private static IEnumerable<List<int>> ChainsFromTo(IReadOnlyList<BlockSpan> spans, int at, int end)
    {
        if (at == end)
        {
            yield return [];
            yield break;
        }
        for (var j = 0; j < spans.Count; j++)
            if (spans[j].Contains(at))
                foreach (var rest in ChainsFromTo(spans, spans[j].End, end))
                    yield return [j, .. rest];
    }

    [Theory]
    [InlineData("petals-published")]
    [InlineData("cg-bp+ws-rr-published")]
    public void PublishedPresets_ExplicitReplay_EveryRequestObeysTheClosedForm(string algorithm)
    {
        var resolver = Resolve(WithAlgorithms($"[{algorithm}]"));
        var run = resolver.Resolve(0);
        var alg = resolver.FindAlgorithm(algorithm);
        Assert.Equal(FixedDelaySource.Published, alg.Parts.FixedDelays);
        Assert.Equal(70, alg.SessionStartMs);
        Assert.Equal(algorithm.StartsWith("petals", StringComparison.Ordinal) ? 250_000 : 60_000, alg.AllocationMs);
        var planned = SwarmExperiment.Plan(run, alg);
        var sim = SwarmExperiment.Simulate(planned, checkInvariants: true);
        Assert.Empty(sim.Twin.InvariantViolations);

        // The scenario's figures, written out: measured RTTs (per token, first token) and block times.
        double[] rtt = [120, 140, 110], first = [150, 170, 130];
        double[] tau = [3.2197, 3.2197, 16.2488], tauInPerToken = [0.0743, 0.0743, 0.1041], tauInFixed = [32.99, 32.99, 206.35];
        double[,] serverRtt = { { 0, 10, 60 }, { 10, 0, 30 }, { 60, 30, 0 } };
        var spans = planned.Plan.Placement.Spans;
        if (algorithm == "petals-published")
        {
            // Listed join order, measured rates: s-a (49 blocks, 20,829 / 25 = 833 rps) at 0; s-b must cover
            // 49..69 so takes [21, 70); the MIG (3 blocks) finds every weakest window equal to [833, 833, 833]
            // exactly and takes the smallest start.
            Assert.Equal([new BlockSpan(0, 49), new BlockSpan(21, 49), new BlockSpan(0, 3)], spans);
        }

        // The route each request got is the cheapest chain by the preset's own link cost, found here by
        // enumerating every chain (the load is light: no penalty and no wait applies).
        Assert.True(ChainsFromTo(spans, 0, 70).Count() > 1, "a single chain would make the route check vacuous");
        double ChainCost(List<int> chain, int outputTokens)
        {
            double c = 0;
            var at = 0;
            for (var h = 0; h < chain.Count; h++)
            {
                var j = chain[h];
                var k = spans[j].End - at;
                at = spans[j].End;
                c += algorithm == "petals-published"
                    ? (h == 0 ? rtt[j] : serverRtt[chain[h - 1], j]) / 2 + 18 + k * tau[j]
                    : outputTokens * (rtt[j] + k * tau[j]);
            }
            return algorithm == "petals-published" ? c + rtt[chain[^1]] / 2 : c;
        }
        foreach (var outcome in sim.Twin.Requests)
        {
            Assert.True(outcome.Succeeded);
            var request = run.Requests[outcome.Id];
            double firstMs = 0, perTokenMs = 0;
            foreach (var hop in outcome.Hops)
            {
                firstMs += first[hop.Server] + hop.Blocks * (tauInPerToken[hop.Server] * request.Shape.PromptTokens + tauInFixed[hop.Server]);
                perTokenMs += rtt[hop.Server] + hop.Blocks * tau[hop.Server];
            }
            var chosen = ChainCost([.. outcome.Hops.Select(h => h.Server)], request.Shape.OutputTokens);
            Assert.Equal(ChainsFromTo(spans, 0, 70).Min(c => ChainCost(c, request.Shape.OutputTokens)), chosen, 6);
            var fixedMs = alg.SessionStartMs + alg.AllocationMs;
            Assert.Equal(outcome.WaitMs + fixedMs + firstMs, outcome.FirstTokenMs, 6);
            Assert.Equal(outcome.WaitMs + fixedMs + firstMs + (request.Shape.OutputTokens - 1) * perTokenMs, outcome.TotalMs, 6);
            // Route once, reserve, start at a retry time: the wait is 0 or an offset 1, 3, 7, ... s.
            Assert.Equal(RetrySchedule.RoundUpMs(outcome.WaitMs), outcome.WaitMs, 6);
        }
        Assert.Equal(run.Requests.Count, sim.Twin.Requests.Count);
    }
}
