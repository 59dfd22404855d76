using System.Globalization;

namespace Stamen.Optimization.Milp;

/// <summary>
/// Limits for one solve. A time limit turns "exact" into "best found with its gap", which is what
/// large swarm instances need; the defaults keep a solve reproducible (one thread, fixed seed).
/// </summary>
public sealed record MilpOptions
{
    /// <summary>Wall-clock limit; null for none. On expiry the incumbent (if any) is returned as Feasible.</summary>
    public double? TimeLimitSeconds { get; init; }

    /// <summary>Stop once |incumbent - bound| / |incumbent| is at most this; 0 asks for proven optimality.</summary>
    public double RelativeGap { get; init; }

    /// <summary>Solver threads; 1 by default because parallel branch and bound is not reproducible.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Seed for the solver's random choices (heuristics, perturbation).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// A MIP start: one value per variable of the model (a heuristic's plan, say), in
    /// <see cref="MilpModel.Variables"/> order; null for none. A solver may use it as a first
    /// incumbent or as a hint, or ignore it: it never changes what a result proves. Native CBC,
    /// SCIP and CP-SAT use it; CBC through OR-Tools ignores it.
    /// </summary>
    public IReadOnlyList<double>? StartValues { get; init; }

    /// <summary>
    /// Every problem with these options, in one message; empty when they are usable. With a model,
    /// <see cref="StartValues"/> must also hold one value per variable.
    /// </summary>
    public IReadOnlyList<string> Problems(MilpModel? model = null)
    {
        var problems = new List<string>();
        if (TimeLimitSeconds is { } limit && !(limit > 0 && double.IsFinite(limit)))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"TimeLimitSeconds must be positive and finite, got {limit}"));
        }

        if (!(RelativeGap >= 0 && double.IsFinite(RelativeGap)))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"RelativeGap must be at least 0, got {RelativeGap}"));
        }

        if (Threads < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Threads must be at least 1, got {Threads}"));
        }

        if (StartValues is { } start)
        {
            if (model is not null && start.Count != model.Variables.Count)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"StartValues must hold one value per variable ({model.Variables.Count}), got {start.Count}"));
            }

            if (start.Any(v => !double.IsFinite(v)))
            {
                problems.Add("StartValues must be finite numbers");
            }
        }

        return problems;
    }
}
