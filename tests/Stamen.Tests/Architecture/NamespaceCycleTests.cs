namespace Stamen.Tests.Architecture;

/// <summary>
/// Data flows one way (DEVELOPERS.md: planners -> plans -> twins -> metrics -> reports -> CLI): no
/// namespace of the library may use one that uses it back. Cycles that existed when this test was
/// written are listed below so the test can land; a new cycle fails, and so does a listed one that
/// is gone (remove it from the list), so the list only shrinks.
/// </summary>
public sealed class NamespaceCycleTests
{
    /// <summary>Known cycles (issue 14, "one-way data flow"), each a strongly connected set of namespaces, sorted.</summary>
    private static readonly string[][] Known =
    [
        // Adapters' twin and placers use the engine scenario parser and the experiment runners, which use them back.
        ["Stamen.Adapters", "Stamen.Adapters.Placement", "Stamen.Experiments", "Stamen.Scenarios.Adapters", "Stamen.Scenarios.Engine"],
        // Placements, routes and their timing reference each other: plans need one namespace of their own.
        ["Stamen.Optimization.SwarmMilp", "Stamen.Performance", "Stamen.Placement", "Stamen.Routing"],
        ["Stamen.Reporting.Html", "Stamen.Reporting.Svg"],
    ];

    [Fact]
    public void Library_NamespaceCycles_OnlyTheKnownOnes()
    {
        var graph = NamespaceGraph.Of(typeof(StamenInputException).Assembly, "Stamen");
        Assert.True(graph.Count > 20, "the graph read too few namespaces: the reader lost its way");
        Assert.Contains("Stamen.Placement", graph["Stamen.Scenarios"]);
        // The engine's policies plug into its loop through an interface: used one way only.
        Assert.Contains("Stamen.Simulation.Engine", graph["Stamen.Simulation.Engine.Policies"]);
        Assert.DoesNotContain("Stamen.Simulation.Engine.Policies", graph["Stamen.Simulation.Engine"]);

        var cycles = NamespaceGraph.Cycles(graph).Select(c => string.Join(" <-> ", c)).ToList();

        var known = Known.Select(c => string.Join(" <-> ", c)).Order(StringComparer.Ordinal).ToList();
        Assert.True(known.SequenceEqual(cycles.Order(StringComparer.Ordinal)),
            "namespace cycles now:\n" + string.Join("\n", cycles) + "\nknown:\n" + string.Join("\n", known));
    }
}
