using Stamen.Experiments;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Scenarios;

namespace Stamen.Tests.Experiments;

/// <summary>Records WS-RR's path cost at every routing decision the twin asks for.</summary>
internal sealed class CostRecordingRouter(WsRrRouter inner) : IRouter
{
    public List<(double NowMs, int Client, Route? Route, double PathCostMs)> Calls { get; } = [];

    public Route? Choose(RoutingQuery query)
    {
        var (route, cost) = inner.ChooseWithCost(query);
        Calls.Add((query.NowMs, query.Client, route, cost));
        return route;
    }
}

/// <summary>WS-RR in the twin: its path cost bounds completion, and with no waiting it is shortest-path routing.</summary>
public sealed class WsRrTwinTests
{
    [Fact]
    public void WsRr_UnderLoad_PathCostBoundsEveryRequestsTime()
    {
        var resolver = ScenarioResolver.Create(ExperimentScenarios.Default(ratePerSec: 1, requests: 150));
        var algorithm = resolver.FindAlgorithm("cg-bp+ws-rr");
        var planned = SwarmExperiment.Plan(resolver.Resolve(0), algorithm);
        // Arrivals 20 times denser than planned for, so caches fill and requests wait.
        var dense = planned.Run.Requests.Select(r => r with { ArrivalMs = r.ArrivalMs / 20 }).ToList();
        planned = planned with { Run = planned.Run with { Requests = dense } };
        var recorder = new CostRecordingRouter(Assert.IsType<WsRrRouter>(planned.Router));
        var sim = SwarmExperiment.Simulate(planned with { Router = recorder });

        var requests = planned.Run.Requests;
        var outcomes = sim.Twin.Requests;
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        // WS-RR only proposes routes its servers can eventually host, so each request is routed once, at arrival.
        Assert.Equal(requests.Count, recorder.Calls.Count);
        var waited = outcomes.Count(o => o.WaitMs > 0);
        Assert.True(waited >= outcomes.Count / 4, $"only {waited} requests waited; the bound is tested only where waits occur");
        var byArrival = Enumerable.Range(0, requests.Count).OrderBy(i => requests[i].ArrivalMs).ToList();
        for (var k = 0; k < byArrival.Count; k++)
        {
            var i = byArrival[k];
            var call = recorder.Calls[k];
            var outcome = outcomes[i];
            Assert.Equal(requests[i].ArrivalMs, call.NowMs);
            Assert.Equal(requests[i].ClientIndex, call.Client);
            Assert.Equal(call.Route!.Hops, outcome.Hops);
            var modelledMs = outcome.TotalMs - algorithm.FixedDelayMs;
            Assert.True(modelledMs <= call.PathCostMs + 1e-6,
                $"request {i}: time {modelledMs} ms exceeds the WS-RR path cost {call.PathCostMs} ms (wait {outcome.WaitMs} ms)");
            // Without a wait every hop's wait was 0, and the exact hop costs add up to the modelled time.
            if (outcome.WaitMs == 0) Assert.Equal(call.PathCostMs, modelledMs, 1e-6);
        }
    }

    [Fact]
    public void WsRr_LightLoad_RoutesLikeShortestPath()
    {
        var resolver = ScenarioResolver.Create(ExperimentScenarios.Default(ratePerSec: 0.01, requests: 25));
        var run = resolver.Resolve(0);
        var wsrr = SwarmExperiment.Simulate(SwarmExperiment.Plan(run, resolver.FindAlgorithm("cg-bp+ws-rr")));
        var shortest = SwarmExperiment.Simulate(SwarmExperiment.Plan(run, resolver.FindAlgorithm("cg-bprr")));
        Assert.Equal(wsrr.Planned.Plan.Placement.Spans, shortest.Planned.Plan.Placement.Spans);
        Assert.Equal(wsrr.Planned.Plan.Placement.Caches, shortest.Planned.Plan.Placement.Caches);
        Assert.All(wsrr.Twin.Requests, o => Assert.Equal(0, o.WaitMs)); // no server was full
        for (var i = 0; i < run.Requests.Count; i++)
            Assert.Equal(shortest.Twin.Requests[i].Hops, wsrr.Twin.Requests[i].Hops);
    }

}
