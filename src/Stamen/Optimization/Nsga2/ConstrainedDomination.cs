namespace Stamen.Optimization.Nsga2;

/// <summary>
/// Deb's constrained domination (Deb et al. 2002, section VI): a feasible solution beats an
/// infeasible one; of two infeasible ones the smaller total violation wins; of two feasible ones
/// Pareto domination decides (no worse in every objective, strictly better in at least one).
/// </summary>
public static class ConstrainedDomination
{
    /// <summary>True when <paramref name="a"/> constrained-dominates <paramref name="b"/>.</summary>
    public static bool Dominates(Evaluation a, Evaluation b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.IsFeasible != b.IsFeasible)
            return a.IsFeasible;
        if (!a.IsFeasible)
            return a.ConstraintViolation < b.ConstraintViolation;
        return ParetoDominates(a, b);
    }

    /// <summary>Plain Pareto domination on the objectives, ignoring constraints.</summary>
    public static bool ParetoDominates(Evaluation a, Evaluation b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.ObjectiveCount != b.ObjectiveCount)
            throw new ArgumentException("Evaluations have different numbers of objectives.", nameof(b));
        var strictlyBetter = false;
        for (var k = 0; k < a.ObjectiveCount; k++)
        {
            if (a[k] > b[k])
                return false;
            if (a[k] < b[k])
                strictlyBetter = true;
        }
        return strictlyBetter;
    }
}
