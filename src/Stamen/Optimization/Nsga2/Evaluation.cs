namespace Stamen.Optimization.Nsga2;

/// <summary>
/// What a problem says about one genome: objective values to minimise and a total constraint
/// violation (0 = feasible). Deb et al. (2002) compare infeasible solutions by this single sum,
/// so a problem with several constraints adds up their (scaled) violations itself.
/// </summary>
public sealed record Evaluation
{
    private readonly double[] _objectives;

    /// <param name="objectives">Values to minimise; finite (NaN would break every comparison).</param>
    /// <param name="constraintViolation">Total violation, 0 when feasible, never negative.</param>
    public Evaluation(IReadOnlyList<double> objectives, double constraintViolation = 0)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count == 0)
            throw new ArgumentException("At least one objective is needed.", nameof(objectives));
        if (objectives.Any(v => !double.IsFinite(v)))
            throw new ArgumentException("Objectives must be finite numbers.", nameof(objectives));
        if (!double.IsFinite(constraintViolation) || constraintViolation < 0)
            throw new ArgumentOutOfRangeException(nameof(constraintViolation), constraintViolation, "Constraint violation must be finite and >= 0.");
        _objectives = [.. objectives];
        ConstraintViolation = constraintViolation;
    }

    /// <summary>Objective values, all minimised.</summary>
    public IReadOnlyList<double> Objectives => _objectives;

    /// <summary>Sum of constraint violations; 0 means feasible.</summary>
    public double ConstraintViolation { get; }

    public bool IsFeasible => ConstraintViolation == 0;

    internal double this[int objective] => _objectives[objective];

    internal int ObjectiveCount => _objectives.Length;

    /// <summary>Value equality over the objective vector, not the array reference.</summary>
    public bool Equals(Evaluation? other) =>
        other is not null && ConstraintViolation == other.ConstraintViolation && _objectives.AsSpan().SequenceEqual(other._objectives);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ConstraintViolation);
        foreach (var v in _objectives)
            hash.Add(v);
        return hash.ToHashCode();
    }
}
