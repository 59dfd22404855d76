using Stamen.Options;

namespace Stamen.Algorithms;

/// <summary>
/// A complete swarm algorithm as compared by Stamen: a placement planner, a router and the client's
/// admission behaviour, each an entry of its own catalog with its options, plus the published fixed
/// allocation delay.
/// </summary>
/// <param name="Name">Catalog key, e.g. <c>cg-bp+ws-rr</c>.</param>
/// <param name="Description">One line for `stamen catalog algorithms`.</param>
/// <param name="Placement">Entry of <see cref="Stamen.Placement.PlacementCatalog"/> with its options.</param>
/// <param name="Routing">Entry of <see cref="Stamen.Routing.RouterCatalog"/> with its options.</param>
/// <param name="Admission">Entry of <see cref="Stamen.Simulation.Swarm.AdmissionCatalog"/> with its options.</param>
/// <param name="PublishedAllocationDelayMs">Per-request allocation delay of the published simulator (reference section 1).</param>
public sealed record SwarmAlgorithm(string Name, string Description, ComponentChoice Placement, ComponentChoice Routing, ComponentChoice Admission, double PublishedAllocationDelayMs)
{
    /// <summary>Where the fixed per-request delays come from.</summary>
    public FixedDelaySource FixedDelays { get; init; } = FixedDelaySource.Scenario;

    /// <summary>Its placement solves an NP-hard model exactly (the MILP): a few servers and a short model only.</summary>
    public bool SmallInstancesOnly => Stamen.Placement.PlacementCatalog.Find(Placement.Name).SmallInstancesOnly;

    /// <summary>"placement + routing + admission", options that differ from each entry's defaults in braces.</summary>
    public string PartsText => $"{Placement} + {Routing} + {Admission}";
}

/// <summary>Where an algorithm's fixed per-request delays (initial and allocation) come from.</summary>
public enum FixedDelaySource
{
    /// <summary>The scenario's <c>delays:</c> block (none unless it says so).</summary>
    Scenario,

    /// <summary>
    /// Always the published ones (70 ms initial, the algorithm's published allocation delay), as the
    /// published simulator runs it; only <c>--without-fixed-delays</c> removes them.
    /// </summary>
    Published,
}
