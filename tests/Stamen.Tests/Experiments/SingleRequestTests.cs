using Stamen.Algorithms;
using Stamen.Experiments;
using Stamen.Performance;
using Stamen.Routing;
using Stamen.Scenarios;
using Stamen.Simulation;
using Stamen.Simulation.Swarm;

using Stamen.Tests.Support;

namespace Stamen.Tests.Experiments;

/// <summary>
/// With one request on an empty swarm nothing waits, so the twin's times must equal the closed-form
/// performance model of the route the algorithm's router picks, plus the fixed delays.
/// </summary>
public sealed class SingleRequestTests
{
    private static readonly string Yaml = $$$"""
        name: single request
        seed: 4
        model: bloom-176b
        network: {synthetic: {nodes: 16, seed: 2}}
        servers: {count: 12, gpus: {a100-80gb: 0.25, a100-mig-1g.10gb: 0.75}}
        clients: [{name: user, node: random}]
        workload: {arrivals: [{at_s: 0, prompt_tokens: 37, output_tokens: 90}]}
        delays: {preset: published}
        algorithms: [{{{string.Join(", ", ScalableCatalogs.Algorithms.Select(a => a.Name))}}}]
        """;

    public static TheoryData<string> Algorithms => [.. ScalableCatalogs.Algorithms.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void OneRequest_FirstTokenAndTotal_EqualClosedFormPlusFixedDelays(string name)
    {
        var resolver = ScenarioResolver.Create(ExperimentScenarios.FromYaml(Yaml));
        var algorithm = resolver.Algorithms.Single(a => a.Name == name);
        var published = SwarmAlgorithmCatalog.TryFind(name)!.PublishedAllocationDelayMs;
        Assert.Equal((70.0, published), (algorithm.SessionStartMs, algorithm.AllocationMs));

        var run = resolver.Resolve(0);
        var request = Assert.Single(run.Requests);
        var planned = SwarmExperiment.Plan(run, algorithm);
        var outcome = Assert.Single(SwarmExperiment.Simulate(planned, checkInvariants: true).Twin.Requests);

        // The route the router picks on an empty swarm, with the same random stream the twin hands it.
        var twinSeed = SeedStreams.Derive(run.Seed, SeedStreams.Twin);
        var empty = new SwarmState(run.Swarm, planned.Plan.Placement);
        var route = planned.Router.Choose(new RoutingQuery(request.ClientIndex, request.Shape, 0, empty, SeedStreams.Create(twinSeed, SeedStreams.SwarmRouter)));
        Assert.NotNull(route);
        Assert.Equal(route.Hops, outcome.Hops);

        var t = new SwarmPerformanceModel(run.Swarm).Time(route, request.ClientIndex, request.Shape);
        var fixedMs = 70 + published;
        Assert.True(outcome.Succeeded);
        Assert.Equal(0, outcome.WaitMs);
        Assert.Equal(0, outcome.Retries);
        Assert.Equal(fixedMs + t.FirstTokenMs, outcome.FirstTokenMs, 1e-6);
        Assert.Equal(fixedMs + t.TotalMs, outcome.TotalMs, 1e-6);
        Assert.Equal(t.FirstTokenMs + 89 * t.PerTokenMs, t.TotalMs, 1e-6);
        Assert.Equal(outcome.StartMs + outcome.TotalMs, outcome.EndMs, 1e-6);
    }
}
