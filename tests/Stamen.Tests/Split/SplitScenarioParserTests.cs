using Stamen.Experiments;
using Stamen.Scenarios.Split;
using Stamen.Split;

namespace Stamen.Tests.Split;

/// <summary>Split scenarios name their methods from the catalog, with options, and the study keys its plans by those names.</summary>
public sealed class SplitScenarioParserTests
{
    private static readonly string Base = SplitScenarioParser.DefaultYaml;

    private static SplitScenario Parse(string extra) => SplitScenarioParser.ParseText(Base + "\n" + extra, "s.yaml");

    [Fact]
    public void Default_ComparesTheFourMethodsInOrder()
    {
        var s = SplitScenarioParser.Load(null);
        Assert.Equal(SplitPlannerCatalog.DefaultMethods, s.MethodNames);
        Assert.Null(s.LatencyStepMs);
    }

    [Fact]
    public void Methods_WithOptions_PlanAsTheirClassesDo()
    {
        var s = Parse("methods: [greedy, {name: dp, latency_step_ms: 0.5}, fastest]");
        Assert.Equal(["greedy", "dp", "fastest"], s.MethodNames);
        Assert.Equal(0.5, s.LatencyStepMs);
        var plans = SplitStudy.Plan(s);
        Assert.All(plans, r =>
        {
            Assert.Equal(["greedy", "dp", "fastest"], r.Plans.Select(p => p.Method));
            Assert.Equal(new SplitDynamicProgram(0.5).Plan(r.Type.Problem)?.OnClient, r.Plans[1].Plan?.OnClient);
            Assert.Equal(new GreedySplit().Plan(r.Type.Problem).OnClient, r.For("greedy").OnClient);
            Assert.Equal(r.Fastest.OnClient, r.For("fastest").OnClient);
            Assert.Equal(["greedy", "dp", "fastest"], r.PlanMs.Keys);
        });
        // The twin runs one line per method of the scenario.
        Assert.Equal(["greedy", "dp", "fastest"], SplitStudy.Simulate(s with { DurationSec = 5 }, plans).Select(m => m.Method));
    }

    [Fact]
    public void TopLevelLatencyStep_SetsTheProgramsOption_UnlessItsEntryDoes()
    {
        Assert.Equal(2, Parse("latency_step_ms: 2").LatencyStepMs);
        Assert.Equal(0.25, Parse("latency_step_ms: 2\nmethods: [{name: dp, latency_step_ms: 0.25}]").LatencyStepMs);
    }

    [Theory]
    [InlineData("methods: [dp, knapsack]", "methods[1] (line", "unknown split method 'knapsack'")]
    [InlineData("methods: [{name: dp, latency_step_ms: -1}]", "methods[0].latency_step_ms (line", "out of range")]
    [InlineData("methods: [{name: greedy, depth: 2}]", "methods[0].depth (line", "'depth' is not an option of greedy")]
    [InlineData("methods: [dp, dp]", "methods[1] (line", "'dp' is listed twice")]
    [InlineData("methods: []", "methods", "is empty")]
    public void Methods_Mistake_NamesFieldAndFix(string extra, string field, string problem)
    {
        var e = Assert.Throws<StamenInputException>(() => Parse(extra));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_BuildsEveryMethod_AndEachPlansTheProblem()
    {
        var problem = SplitScenarioParser.Load(null).RequestTypes[0].Problem;
        var built = 0;
        foreach (var entry in SplitPlannerCatalog.Planners.All)
        {
            var plan = entry.Create().Plan(problem);
            if (plan is null) continue;
            Assert.Equal(problem.LayerCount, plan.OnClient.Count);
            Assert.True(plan.ClientLayers <= problem.MaxClientLayers, entry.Name);
            built++;
        }
        Assert.Equal(SplitPlannerCatalog.Planners.All.Count, built);
    }
}
