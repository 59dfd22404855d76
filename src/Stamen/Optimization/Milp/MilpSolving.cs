using System.Diagnostics;
using System.Globalization;

namespace Stamen.Optimization.Milp;

/// <summary>The checks every <see cref="IMilpSolver"/> makes the same way, before and after a solve.</summary>
internal static class MilpSolving
{
    /// <summary>
    /// Relative gap within which a solver's point counts as proven optimal when the proof is ours,
    /// not the solver's: CP-SAT after rounding, or a MIP verdict checked against its bound.
    /// </summary>
    internal const double OptimalityTolerance = 1e-6;

    /// <summary>Values further than this from the model's bounds and rows mean the answer is not trustworthy.</summary>
    internal const double FeasibilityTolerance = 1e-5;

    /// <summary>Throws one input error naming every problem with the options (a start's length included).</summary>
    internal static void Validate(MilpModel model, MilpOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems(model);
        if (problems.Count > 0)
        {
            throw new StamenInputException("(options)", "milp", string.Join("; ", problems), "fix the MILP options");
        }
    }

    /// <summary>
    /// A solver's point with integer variables rounded, re-checked against the model: a point that
    /// breaks it by more than <see cref="FeasibilityTolerance"/> is a binding or solver fault and
    /// raises an exception rather than being reported.
    /// </summary>
    internal static double[] CheckedValues(MilpModel model, IReadOnlyList<double> raw, string solver)
    {
        var values = model.Variables.Select(v => v.IsInteger ? Math.Round(raw[v.Index]) : raw[v.Index]).ToArray();
        double violation = model.MaxViolation(values);
        if (!(violation <= FeasibilityTolerance))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{solver} returned a point violating the model by {violation}: refusing to report it"));
        }

        return values;
    }

    /// <summary>"No bound known" in the objective's direction: -inf when minimising, +inf when maximising.</summary>
    internal static double NoBound(ObjectiveSense sense) =>
        sense == ObjectiveSense.Minimize ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>
    /// A result without a point. NoSolutionFound carries no bound either: SCIP leaves its bound at
    /// 0 and CP-SAT its proto default when stopped early, which are not bounds.
    /// </summary>
    internal static MilpResult Unsolved(MilpStatus status, MilpModel model, IReadOnlyList<string> notes, Stopwatch clock) =>
        new(status, double.NaN, status == MilpStatus.NoSolutionFound ? NoBound(model.Sense) : double.NaN,
            [], clock.Elapsed.TotalMilliseconds) { Notes = notes };

    /// <summary>Whether the relative gap between a value and a bound is within <paramref name="allowed"/> (the <see cref="MilpResult.Gap"/> formula).</summary>
    internal static bool WithinGap(double objective, double bound, double allowed) =>
        double.IsFinite(bound) && Math.Abs(objective - bound) / Math.Max(1e-9, Math.Abs(objective)) <= allowed;
}
