namespace Stamen.Optimization.Milp;

/// <summary>What a solve proved; only Optimal and Feasible carry values.</summary>
public enum MilpStatus
{
    /// <summary>Proven optimal (within <see cref="MilpOptions.RelativeGap"/>).</summary>
    Optimal,

    /// <summary>Time limit hit with an incumbent: values are feasible, <see cref="MilpResult.Gap"/> says how far from proven.</summary>
    Feasible,

    /// <summary>Proven to have no feasible point.</summary>
    Infeasible,

    /// <summary>The objective can improve without limit (the LP relaxation is unbounded).</summary>
    Unbounded,

    /// <summary>Time limit hit before any feasible point was found; nothing is known about feasibility.</summary>
    NoSolutionFound,
}

/// <summary>
/// Outcome of one solve. The bound and gap are always reported so a caller never mistakes a
/// time-limited incumbent for the optimum.
/// </summary>
/// <param name="Status">What was proven.</param>
/// <param name="ObjectiveValue">Objective of <see cref="Values"/> (constant included); NaN without a solution.</param>
/// <param name="BestBound">Best proven bound on the optimum in the objective's direction; infinite when none.</param>
/// <param name="Values">One value per variable (integers rounded); empty without a solution.</param>
/// <param name="SolveTimeMs">Wall-clock time of the solve, model transfer included.</param>
public sealed record MilpResult(MilpStatus Status, double ObjectiveValue, double BestBound, IReadOnlyList<double> Values, double SolveTimeMs)
{
    /// <summary>
    /// What the solver changed to solve the model and what that means for the figures, one line
    /// each (CP-SAT's rounding of non-integral coefficients, say); empty when nothing was changed.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public bool HasSolution => Status is MilpStatus.Optimal or MilpStatus.Feasible;

    /// <summary>Relative gap |objective - bound| / max(1e-9, |objective|); infinite without a solution or bound.</summary>
    public double Gap => HasSolution && double.IsFinite(BestBound)
        ? Math.Abs(ObjectiveValue - BestBound) / Math.Max(1e-9, Math.Abs(ObjectiveValue))
        : double.PositiveInfinity;

    public double Value(MilpVariable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (!HasSolution)
        {
            throw new InvalidOperationException($"no values: the solve ended {Status}");
        }

        return Values[variable.Index];
    }
}
