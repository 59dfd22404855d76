using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;

namespace Stamen.Optimization.Milp;

/// <summary>
/// Solves an all-integer <see cref="MilpModel"/> with OR-Tools' CP-SAT. CP-SAT takes integer
/// coefficients only, so each row and the objective are first made integral by
/// <see cref="CpSatScaling"/>: exactly when a power of ten up to 10^9 does it, else by conservative
/// rounding, which this class accounts for in the status and bound it reports and in
/// <see cref="MilpResult.Notes"/>:
/// <list type="bullet">
/// <item>A rounded objective: the objective reported is the original one at the returned point,
/// and the bound is CP-SAT's loosened by the largest possible rounding error.</item>
/// <item>A rounded row: CP-SAT solved a tighter model, so its bound and its optimality and
/// infeasibility proofs say nothing about the original. The bound is then the LP relaxation of
/// the original model (GLOP), and Infeasible needs that relaxation infeasible.</item>
/// </list>
/// With anything rounded, Optimal means the returned objective is within
/// max(<see cref="MilpOptions.RelativeGap"/>, 1e-6) of that valid bound (relative).
/// </summary>
public sealed class CpSatMilpSolver : IMilpSolver
{
    /// <summary>Bounds beyond this are not exact as doubles, where every value is checked.</summary>
    private const double MaxBound = 9.007e15; // 2^53

    /// <summary>
    /// OPTIMAL is Optimal and FEASIBLE Feasible when nothing was rounded (otherwise see the class
    /// remarks); INFEASIBLE is Infeasible; UNKNOWN (a limit hit before any point) is
    /// NoSolutionFound; MODEL_INVALID is an exception (a translation fault).
    /// </summary>
    /// <exception cref="StamenInputException">
    /// The model has a continuous variable or an infinite bound, or a row CP-SAT cannot take (an
    /// equality that would need rounding, or numbers too large for 64-bit integers).
    /// </exception>
    public MilpResult Solve(MilpModel model, MilpOptions options)
    {
        MilpSolving.Validate(model, options);
        var clock = Stopwatch.StartNew();
        var ranges = IntegerRanges(model);
        if (model.Variables.FirstOrDefault(v => ranges[v.Index].Low > ranges[v.Index].High) is { } empty)
        {
            return new MilpResult(MilpStatus.Infeasible, double.NaN, double.NaN, [], clock.Elapsed.TotalMilliseconds)
            {
                Notes = [string.Create(CultureInfo.InvariantCulture, $"integer variable '{empty.Name}' has no integer in [{empty.LowerBound}, {empty.UpperBound}]")],
            };
        }

        var rows = model.Constraints.Select(c => CpSatScaling.Row(c, ranges)).OfType<CpSatRow>().ToList();
        var objective = CpSatScaling.Objective(model.Objective, ranges);
        var notes = Notes(rows, objective);

        var cp = new CpModel();
        var x = model.Variables.Select(v => cp.NewIntVar(ranges[v.Index].Low, ranges[v.Index].High, v.Name)).ToArray();
        foreach (var row in rows)
        {
            cp.AddLinearConstraint(Sum(x, row.Variables, row.Coefficients),
                row.IsEquality ? row.RightHandSide : long.MinValue, row.RightHandSide);
        }

        if (objective.Variables.Length > 0)
        {
            var sum = Sum(x, objective.Variables, objective.Coefficients);
            if (model.Sense == ObjectiveSense.Minimize)
            {
                cp.Minimize(sum);
            }
            else
            {
                cp.Maximize(sum);
            }
        }

        if (options.StartValues is { } start)
        {
            foreach (var v in model.Variables)
            {
                cp.AddHint(x[v.Index], (long)Math.Clamp(Math.Round(start[v.Index]), ranges[v.Index].Low, ranges[v.Index].High));
            }
        }

        using var solver = OrToolsLibrary.Load(() => new CpSolver { StringParameters = Parameters(options) });
        var status = OrToolsLibrary.Load(() => solver.Solve(cp, null));
        bool roundedRows = rows.Any(r => r.Rounded);
        switch (status)
        {
            case CpSolverStatus.Optimal or CpSolverStatus.Feasible:
            {
                var values = MilpSolving.CheckedValues(model, [.. x.Select(v => (double)solver.Value(v))], "CP-SAT");
                double value = model.EvaluateObjective(values);
                double bound = roundedRows ? Relaxation(model, options, clock).Bound
                    : objective.OriginalBound(solver.BestObjectiveBound, model.Sense) + model.ObjectiveConstant;
                bool optimal = roundedRows || objective.Rounded
                    ? MilpSolving.WithinGap(value, bound, Math.Max(options.RelativeGap, MilpSolving.OptimalityTolerance))
                    : status == CpSolverStatus.Optimal;
                return new MilpResult(optimal ? MilpStatus.Optimal : MilpStatus.Feasible, value, bound, values,
                    clock.Elapsed.TotalMilliseconds) { Notes = notes };
            }

            case CpSolverStatus.Infeasible:
            {
                // Rounded rows may have cut off every feasible point: only the original's LP relaxation proves infeasibility then.
                var proven = !roundedRows || Relaxation(model, options, clock).Infeasible;
                if (!proven)
                {
                    notes.Add("CP-SAT found the rounded rows infeasible but the original model's LP relaxation is not: nothing is proven (use scip or cbc)");
                }

                return MilpSolving.Unsolved(proven ? MilpStatus.Infeasible : MilpStatus.NoSolutionFound, model, notes, clock);
            }

            case CpSolverStatus.Unknown:
                return MilpSolving.Unsolved(MilpStatus.NoSolutionFound, model, notes, clock);
            default:
                throw new InvalidOperationException($"CP-SAT rejected the translated model ({status}): {cp.Validate()}");
        }
    }

    /// <summary>Every variable integer with finite bounds, rounded inwards to the integers they allow.</summary>
    private static IntegerRange[] IntegerRanges(MilpModel model)
    {
        var continuous = model.Variables.Where(v => !v.IsInteger).ToList();
        if (continuous.Count > 0)
        {
            var more = continuous.Count > 1 ? $" (and {continuous.Count - 1} more)" : "";
            throw new StamenInputException("(model)", "cp-sat",
                $"cp-sat solves all-integer models only; variable '{continuous[0].Name}'{more} is continuous", "use scip or cbc");
        }

        if (model.Variables.FirstOrDefault(v => !(Math.Abs(v.LowerBound) <= MaxBound && Math.Abs(v.UpperBound) <= MaxBound)) is { } wide)
        {
            throw new StamenInputException("(model)", "cp-sat",
                string.Create(CultureInfo.InvariantCulture,
                    $"cp-sat needs finite bounds within ±2^53 on every variable; '{wide.Name}' has [{wide.LowerBound}, {wide.UpperBound}]"),
                "give it finite bounds, or use scip or cbc");
        }

        return [.. model.Variables.Select(v => new IntegerRange(
            (long)Math.Ceiling(v.LowerBound - CpSatScaling.IntegralTolerance * Math.Max(1, Math.Abs(v.LowerBound))),
            (long)Math.Floor(v.UpperBound + CpSatScaling.IntegralTolerance * Math.Max(1, Math.Abs(v.UpperBound)))))];
    }

    private static LinearExpr Sum(IntVar[] x, int[] variables, long[] coefficients) =>
        LinearExpr.WeightedSum(variables.Select(i => (LinearExpr)x[i]), coefficients);

    /// <summary>
    /// CP-SAT's parameters (text format). One worker is CP-SAT's deterministic sequential search;
    /// several run a portfolio whose answers may differ from run to run.
    /// </summary>
    private static string Parameters(MilpOptions options)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"num_workers:{options.Threads} random_seed:{options.Seed} relative_gap_limit:{options.RelativeGap:R}");
        return options.TimeLimitSeconds is { } seconds
            ? string.Create(CultureInfo.InvariantCulture, $"{text} max_time_in_seconds:{seconds:R}")
            : text;
    }

    /// <summary>The original model's LP relaxation, within what is left of the time limit (at least 0.1 s).</summary>
    private static (bool Infeasible, double Bound) Relaxation(MilpModel model, MilpOptions options, Stopwatch clock) =>
        OrToolsMipSolver.LinearRelaxation(model,
            options.TimeLimitSeconds is { } limit ? Math.Max(0.1, limit - clock.Elapsed.TotalSeconds) : null);

    private static List<string> Notes(List<CpSatRow> rows, CpSatObjective objective)
    {
        var notes = new List<string>();
        var rounded = rows.Where(r => r.Rounded).ToList();
        if (rounded.Count > 0)
        {
            var names = string.Join(", ", rounded.Take(3).Select(r => $"'{r.Name}' (x{CpSatScaling.PowerText(r.Exponent)})"));
            var more = rounded.Count > 3 ? $" and {rounded.Count - 3} more" : "";
            notes.Add($"CP-SAT: rows {names}{more} have coefficients no power of ten up to 1e{CpSatScaling.MaxExactExponent} makes whole; "
                + "they were rounded conservatively (every point returned meets the original rows, but points near their boundaries may be cut off), "
                + "so the bound is the original model's LP relaxation (GLOP) and Optimal needs the objective to reach it");
        }

        if (objective.Rounded)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"CP-SAT: objective coefficients scaled by {CpSatScaling.PowerText(objective.Exponent)} and rounded to whole numbers; "
                + $"the objective reported is the original one at the point returned, and the bound is loosened by up to {CpSatScaling.Unscale(objective.MaxError, objective.Exponent):G3}"));
        }

        return notes;
    }
}
