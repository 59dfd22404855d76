using Stamen.Placement;
using Stamen.Algorithms;
using Stamen.Experiments;
using Stamen.Scenarios;
using Stamen.Tests.Scenarios;

using Stamen.Tests.Support;

namespace Stamen.Tests.Experiments;

/// <summary>Every algorithm's plans cover the model and its simulations never exceed any server's memory.</summary>
public sealed class PlanAndMemoryTests
{
    // The MILP algorithms are exact on small instances only; MilpPlannerTests cover them.
    public static TheoryData<string> Algorithms => [.. ScalableCatalogs.Algorithms.Select(a => a.Name)];

    public static TheoryData<string> Examples => [.. ScenarioFiles.ExampleNames];

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryAlgorithm_OnExampleRunZero_CoversEveryBlockWithinLimits(string example)
    {
        var resolver = ScenarioFiles.ResolveExample(example);
        var run = resolver.Resolve(0);
        var model = run.Swarm.Model;
        foreach (var name in ScalableCatalogs.Algorithms.Select(a => a.Name))
        {
            var placement = SwarmExperiment.Plan(run, resolver.FindAlgorithm(name)).Plan.Placement;
            Assert.Equal(model.NumBlocks, placement.NumBlocks);
            Assert.Null(placement.FirstUncoveredBlock());
            for (var b = 0; b < model.NumBlocks; b++)
                Assert.NotEmpty(placement.ServersHolding(b));
            for (var j = 0; j < placement.ServerCount; j++)
            {
                var span = placement.Spans[j];
                var server = run.Swarm.Servers[j];
                Assert.InRange(span.Start, 0, model.NumBlocks);
                Assert.InRange(span.End, span.Start, model.NumBlocks);
                Assert.True(span.Count <= server.MaxBlocks, $"{name} on {example}: server {server.Name} holds {span.Count} blocks, max {server.MaxBlocks}");
            }
        }
    }

    /// <summary>The planned weights plus the whole cache pool fit in each server's memory.</summary>
    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryAlgorithm_OnExampleRunZero_WeightsPlusCachePoolFitMemory(string example)
    {
        var resolver = ScenarioFiles.ResolveExample(example);
        var run = resolver.Resolve(0);
        var problems = new List<string>();
        foreach (var name in ScalableCatalogs.Algorithms.Select(a => a.Name))
        {
            var placement = SwarmExperiment.Plan(run, resolver.FindAlgorithm(name)).Plan.Placement;
            for (var j = 0; j < placement.ServerCount; j++)
            {
                var span = placement.Spans[j];
                if (span.IsEmpty) continue;
                var cache = placement.Caches[j];
                var planned = span.Count * run.Swarm.Model.BlockBytes + (cache.PerBlock ? cache.PoolBytes * span.Count : cache.PoolBytes);
                var memory = run.Swarm.Servers[j].MemoryBytes;
                if (planned > memory * (1 + 1e-9))
                    problems.Add($"{name}: {run.Swarm.Servers[j].Name} ({run.Swarm.Servers[j].GpuName}) {span.Count} blocks, weights + cache {planned / 1e9:0.###} GB > {memory / 1e9:0.###} GB");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void EveryAlgorithm_OnDefaultScenario_NeverExceedsMemory(string name)
    {
        // The default scenario as shipped, and at four times its load so caches run full.
        var asShipped = ScenarioResolver.Create(BuiltinScenarios.Load(null));
        var heavy = ScenarioResolver.Create(ExperimentScenarios.Default(ratePerSec: 2.0, requests: 200));
        foreach (var (resolver, r) in new[] { (asShipped, 0), (asShipped, 1), (heavy, 0) })
        {
            var sim = SwarmExperiment.Simulate(SwarmExperiment.Plan(resolver.Resolve(r), resolver.FindAlgorithm(name)), checkInvariants: true);
            Assert.Empty(sim.Twin.InvariantViolations);
            // The published simulator's slot pools count sessions, not bytes (docs/model.md): only
            // its reproduction may hold more cache than the server has.
            var slotPools = sim.Planned.Plan.Placement.Caches.Any(c => c.IsSlots);
            Assert.True(!slotPools || PlacementCatalog.Find(sim.Planned.Algorithm.Parts.Placement.Name).Reproduction);
            if (slotPools) continue;
            Assert.All(sim.Twin.Servers, s => Assert.True(s.PeakMemoryBytes <= s.MemoryLimitBytes,
                $"{name} run {r}: server {s.Server} peak {s.PeakMemoryBytes / 1e9:0.###} GB > limit {s.MemoryLimitBytes / 1e9:0.###} GB"));
            Assert.All(sim.Twin.Servers, s => Assert.True(s.PeakMemoryBytes >= s.WeightBytes));
            Assert.Equal(sim.Planned.Run.Requests.Count, sim.Twin.Requests.Count);
        }
    }
}
