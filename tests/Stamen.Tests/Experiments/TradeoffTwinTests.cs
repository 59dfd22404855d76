using Stamen.Experiments;
using Stamen.Scenarios;

namespace Stamen.Tests.Experiments;

/// <summary>The NSGA-II trade-off router in the twin: invariants hold and runs are deterministic.</summary>
public sealed class TradeoffTwinTests
{
    [Fact]
    public void Nsga2Tradeoff_DefaultScenario_KeepsInvariantsServesEveryRequestAndRepeatsExactly()
    {
        var resolver = ScenarioResolver.Create(BuiltinScenarios.Load(null));
        var planned = SwarmExperiment.Plan(resolver.Resolve(0), resolver.FindAlgorithm("nsga2-tradeoff"));

        var first = SwarmExperiment.Simulate(planned, checkInvariants: true);
        var second = SwarmExperiment.Simulate(SwarmExperiment.Plan(resolver.Resolve(0), resolver.FindAlgorithm("nsga2-tradeoff")));

        Assert.Empty(first.Twin.InvariantViolations);
        Assert.Equal(planned.Run.Requests.Count, first.Twin.Requests.Count);
        Assert.All(first.Twin.Requests, r => Assert.True(r.Succeeded));
        Assert.Equal(first.Twin.Requests.Select(r => (r.TotalMs, string.Join(",", r.Hops))),
            second.Twin.Requests.Select(r => (r.TotalMs, string.Join(",", r.Hops))));
    }
}
