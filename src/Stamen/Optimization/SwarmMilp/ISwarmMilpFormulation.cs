using Stamen.Optimization.Milp;

namespace Stamen.Optimization.SwarmMilp;

/// <summary>
/// One way to write the joint placement-and-routing problem as a MILP. Formulations differ in size and
/// in how tight their relaxation is, never in the optimum: both are tested against brute force.
/// </summary>
public interface ISwarmMilpFormulation
{
    /// <summary>Name a scenario or the command line chooses it by (<c>link</c>, <c>block</c>).</summary>
    string Name { get; }

    SwarmMilpSolution Solve(SwarmMilpInstance instance, MilpOptions options);
}
