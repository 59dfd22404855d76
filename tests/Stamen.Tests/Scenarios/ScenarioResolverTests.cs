using Stamen.Experiments;
using Stamen.Scenarios;

namespace Stamen.Tests.Scenarios;

/// <summary>Properties of resolved runs: server counts and kinds, nodes, seeds, overrides, delays.</summary>
public sealed class ScenarioResolverTests
{
    private static readonly int[] PromptLengths = [1, 20, 300];

    public static TheoryData<string> Examples => [.. ScenarioFiles.ExampleNames];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_ResolvesAndEveryAlgorithmPlansRunZero(string example)
    {
        var resolver = ScenarioFiles.ResolveExample(example);
        var run = resolver.Resolve(0);
        Assert.Equal(resolver.ServerCount, run.Swarm.ServerCount);
        Assert.NotEmpty(run.Requests);
        Assert.True(run.Requests.Zip(run.Requests.Skip(1)).All(p => p.First.ArrivalMs <= p.Second.ArrivalMs), "requests are not in time order");
        foreach (var algorithm in resolver.Algorithms)
        {
            var plan = SwarmExperiment.Plan(run, algorithm).Plan.Placement;
            Assert.Equal(run.Swarm.ServerCount, plan.ServerCount);
        }
    }

    [Fact]
    public void ScatteredAbovenet_FractionsOfNodes_GiveNineServersTwoOfThemA100()
    {
        var resolver = ScenarioFiles.ResolveExample("scattered-abovenet.yaml");
        Assert.Equal(23, resolver.Topology!.Count);
        var servers = resolver.Resolve(0).Swarm.Servers;
        // C = round(0.4 x 23) = 9; 0.2 x 9 = 1.8 and 0.8 x 9 = 7.2 floor to 1 + 7, the spare goes to the larger remainder.
        Assert.Equal(9, servers.Count);
        Assert.Equal(2, servers.Count(s => s.GpuName == "a100-80gb"));
        Assert.Equal(7, servers.Count(s => s.GpuName == "a100-mig-1g.10gb"));
    }

    [Theory]
    [InlineData("scattered-abovenet.yaml")]
    [InlineData("scattered-gtsce.yaml")]
    public void GeneratedServers_AreOnDistinctNodes(string example)
    {
        var resolver = ScenarioFiles.ResolveExample(example);
        for (var r = 0; r < 3; r++)
        {
            var nodes = resolver.Resolve(r).Swarm.Servers.Select(s => s.NodeIndex).ToList();
            Assert.All(nodes, n => Assert.InRange(n, 0, resolver.Topology!.Count - 1));
            Assert.Equal(nodes.Count, nodes.Distinct().Count());
        }
    }

    [Fact]
    public void Resolve_SameRunAndSeed_GivesIdenticalNodesAndRequests()
    {
        var a = ScenarioFiles.ResolveExample("scattered-abovenet.yaml").Resolve(1);
        var b = ScenarioFiles.ResolveExample("scattered-abovenet.yaml").Resolve(1);
        Assert.Equal(a.Seed, b.Seed);
        Assert.Equal(a.Swarm.Servers.Select(s => s.NodeIndex), b.Swarm.Servers.Select(s => s.NodeIndex));
        Assert.Equal(a.Swarm.Servers.Select(s => s.GpuName), b.Swarm.Servers.Select(s => s.GpuName));
        Assert.Equal(a.Swarm.Clients.Select(c => c.NodeIndex), b.Swarm.Clients.Select(c => c.NodeIndex));
        Assert.Equal(a.Requests, b.Requests);
    }

    [Fact]
    public void Resolve_DifferentRunOrSeed_GivesDifferentNodesAndArrivals()
    {
        var resolver = ScenarioFiles.ResolveExample("scattered-abovenet.yaml");
        var r0 = resolver.Resolve(0);
        var r1 = resolver.Resolve(1);
        var other = resolver.Resolve(0, baseSeed: 99);
        Assert.NotEqual(r0.Seed, r1.Seed);
        Assert.NotEqual(r0.Swarm.Servers.Select(s => s.NodeIndex), r1.Swarm.Servers.Select(s => s.NodeIndex));
        Assert.NotEqual(r0.Requests.Select(r => r.ArrivalMs), r1.Requests.Select(r => r.ArrivalMs));
        Assert.NotEqual(r0.Swarm.Servers.Select(s => s.NodeIndex), other.Swarm.Servers.Select(s => s.NodeIndex));
        Assert.NotEqual(r0.Requests.Select(r => r.ArrivalMs), other.Requests.Select(r => r.ArrivalMs));
    }

    [Fact]
    public void MeasuredDeployment_KeepsListedOrderAndEveryOverride()
    {
        var resolver = ScenarioFiles.ResolveExample("measured-deployment.yaml");
        var swarm = resolver.Resolve(0).Swarm;
        Assert.Equal(["lab-a100", "cloud-a100", "edge-mig"], swarm.Servers.Select(s => s.Name));
        Assert.Equal(["a100-80gb", "a100-80gb", "a100-mig-1g.10gb"], swarm.Servers.Select(s => s.GpuName));

        var lab = swarm.Servers[0];
        Assert.Equal(79.13e9, lab.MemoryBytes, 1e-3);
        Assert.Equal(3.31, lab.Times.DecodeMsPerBlock);
        Assert.Equal(0.075, lab.Times.PrefillMsPerToken);
        Assert.Equal(33.4, lab.Times.PrefillFixedMs);

        // cloud-a100 overrides only its decode time; the prefill figures come from the catalog (as lab-a100's would).
        var cloud = swarm.Servers[1];
        var catalogTimes = new Stamen.Performance.BlockTimeModel().Resolve(resolver.Gpus.Find("a100-80gb"), resolver.Model);
        Assert.Equal(3.22, cloud.Times.DecodeMsPerBlock);
        Assert.Equal(catalogTimes.PrefillMsPerToken, cloud.Times.PrefillMsPerToken);
        Assert.Equal(catalogTimes.PrefillFixedMs, cloud.Times.PrefillFixedMs);
        Assert.Equal(8.2e9, swarm.Servers[2].MemoryBytes, 1e-3);

        var d = swarm.Delays;
        double[] perToken = [112, 131, 104];
        double[] firstToken = [95, 110, 88];
        for (var j = 0; j < 3; j++)
        {
            Assert.Equal(perToken[j], d.PerTokenRttMs(0, j));
            // A measured first-token RTT already includes the prompt: it does not grow with l_in.
            Assert.Equal(firstToken[j], d.FirstTokenRttMs(0, j, 20));
            Assert.Equal(firstToken[j], d.FirstTokenRttMs(0, j, 400));
        }
        Assert.Equal(18, d.ServerRttMs(0, 1));
        Assert.Equal(18, d.ServerRttMs(1, 0));
        Assert.Equal(25, d.ServerRttMs(0, 2));
        Assert.Equal(30, d.ServerRttMs(2, 1));
        Assert.Equal(0, d.ServerRttMs(2, 2));
    }

    [Theory]
    [InlineData("clustered.yaml")]
    [InlineData("scattered-bellcanada.yaml")]
    public void TopologyDelays_AddTheModelsOverheads(string example)
    {
        var resolver = ScenarioFiles.ResolveExample(example);
        var topology = resolver.Topology!;
        var swarm = resolver.Resolve(0).Swarm;
        for (var c = 0; c < swarm.ClientCount; c++)
            for (var j = 0; j < swarm.ServerCount; j++)
            {
                var rtt = topology.RttMs(swarm.Clients[c].NodeIndex, swarm.Servers[j].NodeIndex);
                Assert.Equal(rtt + 100, swarm.Delays.PerTokenRttMs(c, j), 1e-9);
                Assert.Equal(rtt, swarm.Delays.ClientPropagationRttMs(c, j), 1e-9);
                foreach (var lIn in PromptLengths)
                    Assert.Equal(rtt + 67 + 0.7049 * lIn, swarm.Delays.FirstTokenRttMs(c, j, lIn), 1e-9);
            }
        for (var i = 0; i < swarm.ServerCount; i++)
            for (var j = 0; j < swarm.ServerCount; j++)
                Assert.Equal(i == j ? 0 : topology.RttMs(swarm.Servers[i].NodeIndex, swarm.Servers[j].NodeIndex), swarm.Delays.ServerRttMs(i, j), 1e-9);
    }

    [Fact]
    public void PublishedDelays_GiveSessionStartAndPerAlgorithmAllocation_AndCanBeTurnedOff()
    {
        var definition = ScenarioFiles.LoadExample("scattered-abovenet.yaml");
        Assert.Equal(["petals-published", "cg-bp+ws-rr-published", "petals", "cg-bp+ws-rr"], definition.Algorithms.Select(a => a.Name));
        var withDelays = ScenarioResolver.Create(definition);
        var petals = withDelays.Algorithms.Single(a => a.Name == "petals");
        var wsrr = withDelays.Algorithms.Single(a => a.Name == "cg-bp+ws-rr");
        Assert.Equal(70, petals.SessionStartMs);
        Assert.Equal(250_000, petals.AllocationMs);
        Assert.Equal(70, wsrr.SessionStartMs);
        Assert.Equal(60_000, wsrr.AllocationMs);
        Assert.Equal(70 + 60_000, wsrr.FixedDelayMs);

        // An algorithm asked for by name (the CLI's -a) gets the scenario's delays too.
        Assert.Equal(60_000, withDelays.FindAlgorithm("cg-bprr").AllocationMs);

        var without = ScenarioResolver.Create(definition, withoutFixedDelays: true);
        Assert.All(without.Algorithms, a => Assert.Equal((0.0, 0.0), (a.SessionStartMs, a.AllocationMs)));
        Assert.Equal(0, without.FindAlgorithm("petals").FixedDelayMs);

        // The published presets carry the published delays whatever the scenario's `delays:` says.
        var none = ScenarioResolver.Create(definition with { Delays = DelaysDefinition.None });
        Assert.Equal((70.0, 250_000.0), (none.FindAlgorithm("petals-published").SessionStartMs, none.FindAlgorithm("petals-published").AllocationMs));
        Assert.Equal((70.0, 60_000.0), (none.FindAlgorithm("cg-bp+ws-rr-published").SessionStartMs, none.FindAlgorithm("cg-bp+ws-rr-published").AllocationMs));
        Assert.Equal(0, none.FindAlgorithm("cg-bp+ws-rr").FixedDelayMs);
        Assert.Equal(0, ScenarioResolver.Create(definition with { Delays = DelaysDefinition.None }, withoutFixedDelays: true).FindAlgorithm("petals-published").FixedDelayMs);
    }

    [Fact]
    public void AllocationOverride_ReplacesThePublishedValueForThatAlgorithmOnly()
    {
        var definition = ScenarioFiles.LoadExample("scattered-abovenet.yaml");
        definition = definition with
        {
            Delays = definition.Delays with { AllocationMs = new Dictionary<string, double> { ["petals"] = 1234 } },
        };
        var resolver = ScenarioResolver.Create(definition);
        Assert.Equal(1234, resolver.Algorithms.Single(a => a.Name == "petals").AllocationMs);
        Assert.Equal(60_000, resolver.Algorithms.Single(a => a.Name == "cg-bp+ws-rr").AllocationMs);
    }

    [Fact]
    public void DefaultScenario_PresetNone_HasNoFixedDelays()
    {
        var resolver = ScenarioResolver.Create(BuiltinScenarios.Load(null));
        Assert.NotEmpty(resolver.Algorithms);
        Assert.All(resolver.Algorithms, a => Assert.Equal(0, a.FixedDelayMs));
    }
}

public class MeasuredRttOnTopologyTests
{
    private const string Yaml = """
        name: measured on a topology
        model: bloom-176b
        network:
          clustered:
            clusters: [{name: east, nodes: 2}]
        servers:
          list:
            - {name: a, gpu: a100-80gb, node: east-0, rtt_ms: {user: 140}}
            - {name: b, gpu: a100-80gb, node: east-1}
        clients:
          - {name: user, node: east-0}
        workload:
          arrivals: [{at_s: 0, prompt_tokens: 20, output_tokens: 64}]
        algorithms: [cg-bp+ws-rr]
        """;

    [Fact]
    public void MeasuredRtt_OnServerWithNode_ReplacesBothRttsAndOnlyForThatServer()
    {
        var resolver = ScenarioResolver.Create(ScenarioParser.ParseText(Yaml, "measured.yaml", Path.GetTempPath()));
        var delays = resolver.Resolve(0).Swarm.Delays;

        // Server a: the measured figure, for decode and (no first-token figure given) for prefill, whatever l_in.
        Assert.Equal(140, delays.PerTokenRttMs(0, 0));
        Assert.Equal(140, delays.FirstTokenRttMs(0, 0, 20));
        Assert.Equal(140, delays.FirstTokenRttMs(0, 0, 500));
        // Server b: the topology (5 ms inside the cluster) plus the model's overheads.
        Assert.Equal(5 + 100, delays.PerTokenRttMs(0, 1), 9);
        Assert.Equal(5 + 67 + 0.7049 * 20, delays.FirstTokenRttMs(0, 1, 20), 9);
    }
}
