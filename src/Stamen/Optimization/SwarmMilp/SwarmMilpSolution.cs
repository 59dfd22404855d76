using Stamen.Optimization.Milp;
using Stamen.Plans;
using Stamen.Routing;

namespace Stamen.Optimization.SwarmMilp;

/// <summary>The MILP's answer: a placement, one route per request group, and how sure it is.</summary>
/// <param name="Status">Optimal, or Feasible with a gap when the time limit cut the search.</param>
/// <param name="Spans">Block range per server (Count 0: unused).</param>
/// <param name="Routes">One route per request group, in the instance's order.</param>
/// <param name="ObjectiveMs">Sum over groups of Count x Weight x per-token time (ms).</param>
/// <param name="BestBoundMs">Solver's lower bound on the objective.</param>
/// <param name="Gap">Relative optimality gap (0 when proven optimal).</param>
/// <param name="SolveTimeMs">Wall time of the solve.</param>
/// <param name="Variables">Variables in the model.</param>
/// <param name="Constraints">Constraints in the model.</param>
public sealed record SwarmMilpSolution(
    MilpStatus Status,
    IReadOnlyList<BlockSpan> Spans,
    IReadOnlyList<Route> Routes,
    double ObjectiveMs,
    double BestBoundMs,
    double Gap,
    double SolveTimeMs,
    int Variables,
    int Constraints)
{
    /// <summary>The MIP start the search began from (its name and objective), or null when none fitted the model.</summary>
    public (string Name, double ObjectiveMs)? Start { get; init; }

    /// <summary>What the solver rounded or loosened to solve the model (CP-SAT's integer scaling), in words.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
