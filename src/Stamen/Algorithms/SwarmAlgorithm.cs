namespace Stamen.Algorithms;

/// <summary>
/// A complete swarm algorithm as compared by Stamen: a placement planner, a router and the client's
/// admission behaviour, each named in its own catalog, plus the published fixed allocation delay.
/// </summary>
/// <param name="Name">Catalog key, e.g. <c>cg-bp+ws-rr</c>.</param>
/// <param name="Description">One line for `stamen catalog algorithms`.</param>
/// <param name="Placement">Name in <see cref="Stamen.Placement.PlacementCatalog"/>.</param>
/// <param name="Routing">Name in <see cref="Stamen.Routing.RouterCatalog"/>.</param>
/// <param name="Admission">Name in <see cref="Stamen.Simulation.Swarm.AdmissionCatalog"/>.</param>
/// <param name="PublishedAllocationDelayMs">Per-request allocation delay of the published simulator (reference section 1).</param>
public sealed record SwarmAlgorithm(string Name, string Description, string Placement, string Routing, string Admission, double PublishedAllocationDelayMs)
{
    /// <summary>Its placement solves an NP-hard model exactly (the MILP): a few servers and a short model only.</summary>
    public bool SmallInstancesOnly => Stamen.Placement.PlacementCatalog.Find(Placement).SmallInstancesOnly;
}
