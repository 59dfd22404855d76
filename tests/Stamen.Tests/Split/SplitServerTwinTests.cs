using Stamen.Experiments;
using Stamen.Scenarios.Split;
using Stamen.Split;

namespace Stamen.Tests.Split;

public sealed class SplitServerTwinTests
{
    private static readonly SplitProblem Problem =
        new([new LayerCost(5, 2, 2), new LayerCost(5, 3, 3), new LayerCost(5, 4, 4)], 1, 10, 10, 1, 3, SlaMs: 100);

    [Fact]
    public void Run_LightLoad_NoWaitingAndLatencyIsThePlansExactLatency()
    {
        var plan = SplitPlan.Of("x", Problem, [false, true, false]);

        var m = SplitServerTwin.Run("x", [new SplitTraffic("t", plan, Problem, RatePerSec: 0.01)], serverGpus: 1, durationSec: 100_000, seed: 3);

        Assert.True(m.Requests > 800);
        Assert.Equal(0, m.MeanWaitMs, 9);
        Assert.Equal(plan.LatencyMs, m.MeanLatencyMs, 9);
        Assert.Equal(plan.ServerWorkMs, m.MeanServerWorkMs, 9);
        Assert.Equal(1000.0 / plan.ServerWorkMs, m.CapacityPerSec, 9);
        Assert.Equal(0, m.SlaViolationFraction);
    }

    [Fact]
    public void Run_AllOnTheClient_TheServerIsIdle()
    {
        var plan = SplitPlan.Of("x", Problem, [true, true, true]);

        var m = SplitServerTwin.Run("x", [new SplitTraffic("t", plan, Problem, 50)], 1, 100, 1);

        Assert.Equal(0, m.Utilisation);
        Assert.Equal(15, m.MeanLatencyMs, 9);
    }

    [Fact]
    public void Run_HeavyLoad_UtilisationBoundedWaitsGrowAndMoreGpusHelp()
    {
        var plan = SplitPlan.Of("x", Problem, [false, false, false]);
        var traffic = new[] { new SplitTraffic("t", plan, Problem, RatePerSec: 120) };

        var one = SplitServerTwin.Run("x", traffic, 1, 300, 7);
        var two = SplitServerTwin.Run("x", traffic, 2, 300, 7);

        Assert.InRange(one.Utilisation, 0.9, 1.0 + 1e-9);
        Assert.True(one.MeanWaitMs > 10 * two.MeanWaitMs, $"one GPU waits {one.MeanWaitMs} ms, two {two.MeanWaitMs} ms");
        Assert.InRange(two.Utilisation, 0.5, 0.6);
        Assert.Equal(one.Requests, two.Requests);
    }

    [Fact]
    public void Study_DefaultScenario_DpNeverNeedsMoreServerWorkThanTheBaselinesThatMeetTheSla()
    {
        var scenario = SplitScenarioParser.Load(null);
        var plans = SplitStudy.Plan(scenario);

        foreach (var p in plans)
        {
            Assert.True(p.Found("dp"));
            var planned = p.For("dp");
            Assert.True(planned.MeetsSla);
            foreach (var baseline in (SplitPlan[])[p.For("greedy"), p.For("single-cut"), p.ServerOnly])
                if (baseline.MeetsSla) Assert.True(planned.ServerWorkMs <= baseline.ServerWorkMs + 1e-9, $"{p.Type.Name}: {baseline.Method}");
        }
        var server = SplitStudy.Simulate(scenario, plans);
        var dp = server.Single(m => m.Method == "dp");
        var serverOnly = server.Single(m => m.Method == "server-only");
        Assert.True(dp.CapacityPerSec > serverOnly.CapacityPerSec);
        Assert.True(dp.Utilisation < serverOnly.Utilisation);
    }
}
