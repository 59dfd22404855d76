namespace Stamen.Tests.Architecture;

/// <summary>
/// Data flows one way (planners -> plans -> twins -> metrics -> reports -> CLI): no namespace of the
/// library may use one that uses it back. A failure lists every edge inside each cycle with a type
/// that makes it, so the fix (move the shared type down) is plain.
/// </summary>
public sealed class NamespaceCycleTests
{
    /// <summary>Cycles allowed: none (issue 14 removed the last three).</summary>
    private static readonly string[][] Known = [];

    [Fact]
    public void Library_NamespaceCycles_OnlyTheKnownOnes()
    {
        var graph = NamespaceGraph.Of(typeof(StamenInputException).Assembly, "Stamen");
        Assert.True(graph.Count > 20, "the graph read too few namespaces: the reader lost its way");
        Assert.Contains("Stamen.Placement", graph["Stamen.Scenarios"]);
        // The engine's policies plug into its loop through an interface: used one way only.
        Assert.Contains("Stamen.Simulation.Engine", graph["Stamen.Simulation.Engine.Policies"]);
        Assert.DoesNotContain("Stamen.Simulation.Engine.Policies", graph["Stamen.Simulation.Engine"]);
        // Plans are the hand-over between planners and everything downstream: they use nothing but the root.
        Assert.DoesNotContain(graph["Stamen.Plans"], n => n != "Stamen");
        Assert.Contains("Stamen.Plans", graph["Stamen.Routing"]);
        Assert.DoesNotContain("Stamen.Placement", graph["Stamen.Routing"]);

        var cycles = NamespaceGraph.Cycles(graph).Select(c => string.Join(" <-> ", c)).ToList();

        var known = Known.Select(c => string.Join(" <-> ", c)).Order(StringComparer.Ordinal).ToList();
        var witnesses = NamespaceGraph.Witnesses(typeof(StamenInputException).Assembly, "Stamen");
        var inCycles = NamespaceGraph.Cycles(graph).SelectMany(c => witnesses.Where(e => c.Contains(e.Key.From) && c.Contains(e.Key.To))
            .Select(e => $"  {e.Key.From} -> {e.Key.To}: {e.Value}"));
        Assert.True(known.SequenceEqual(cycles.Order(StringComparer.Ordinal)),
            "namespace cycles now:\n" + string.Join("\n", cycles) + "\nknown:\n" + string.Join("\n", known) + "\nedges in cycles:\n" + string.Join("\n", inCycles));
    }
}
