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

    /// <summary>A formulation's answer from its solver's <paramref name="result"/>: the plan read from the values (when there are any), the status, bound and size.</summary>
    /// <param name="read">Spans and routes from the solver's values; called only when the result has a solution.</param>
    internal static SwarmMilpSolution Of(MilpResult result, MilpModel model, Func<IReadOnlyList<double>, (IReadOnlyList<BlockSpan>, IReadOnlyList<Route>)> read)
    {
        var (spans, routes) = result.HasSolution ? read(result.Values) : ([], []);
        return new SwarmMilpSolution(result.Status, spans, routes, result.HasSolution ? result.ObjectiveValue : double.NaN, result.BestBound,
            result.HasSolution ? result.Gap : double.NaN, result.SolveTimeMs, model.Variables.Count, model.Constraints.Count) { Notes = result.Notes };
    }
}
