using System.Diagnostics;
using System.Globalization;
using Google.OrTools.LinearSolver;

namespace Stamen.Optimization.Milp;

/// <summary>A MIP solver shipped inside OR-Tools and driven through its linear-solver wrapper.</summary>
public enum OrToolsMipBackend
{
    /// <summary>SCIP 10 (with SoPlex): uses Threads (concurrent solve when above 1), Seed and StartValues.</summary>
    Scip,

    /// <summary>CBC 2.10 as built into OR-Tools (without threads): one thread; ignores Seed and StartValues.</summary>
    Cbc,
}

/// <summary>
/// Solves a <see cref="MilpModel"/> with SCIP or CBC through OR-Tools' <c>MPSolver</c>, whose
/// natives ship in the NuGet package. Statuses are mapped so that a search stopped by the time
/// limit never reads as a proof (see <see cref="Solve"/>), and every value returned is re-checked
/// against the model, as <see cref="CbcMilpSolver"/> does.
/// </summary>
public sealed class OrToolsMipSolver(OrToolsMipBackend backend) : IMilpSolver
{
    /// <summary>SCIP reports "no bound" as ±1e20; CBC as ±DBL_MAX.</summary>
    private const double SolverInfinity = 1e20;

    public OrToolsMipBackend Backend { get; } = backend;

    /// <summary>The solver's name in OR-Tools (<c>Solver.CreateSolver</c>) and in messages.</summary>
    private string SolverId => Backend == OrToolsMipBackend.Scip ? "SCIP" : "CBC";

    /// <summary>
    /// OPTIMAL is Optimal when the bound backs it (within <see cref="MilpOptions.RelativeGap"/>
    /// plus 1e-6; otherwise Feasible, with a note);
    /// FEASIBLE is Feasible; INFEASIBLE is Infeasible unless the time limit had run out (then
    /// NoSolutionFound: CBC can flag "infeasible" when time ends during preprocessing); UNBOUNDED
    /// is Unbounded; NOT_SOLVED or ABNORMAL under a time limit is NoSolutionFound, and without
    /// one an exception, as is MODEL_INVALID.
    /// </summary>
    public MilpResult Solve(MilpModel model, MilpOptions options)
    {
        MilpSolving.Validate(model, options);
        var clock = Stopwatch.StartNew();
        using var solver = OrToolsLibrary.CreateLinearSolver(SolverId);
        var notes = new List<string>();
        var variables = Load(solver, model, relax: false);
        using var parameters = Configure(solver, options, variables, notes);
        var search = Stopwatch.StartNew();
        var status = solver.Solve(parameters);
        bool timeRanOut = options.TimeLimitSeconds is { } limit && search.Elapsed.TotalSeconds >= limit;

        switch (status)
        {
            case Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE:
                return Solved(solver, model, options, variables, status == Solver.ResultStatus.OPTIMAL, notes, clock);
            case Solver.ResultStatus.INFEASIBLE when NearTimeLimit(options, search) && !LinearRelaxation(model, options.TimeLimitSeconds).Infeasible:
                // CBC counts its limit in its own (CPU) time, so a search the limit cut can end "infeasible" before the
                // wall clock shows the limit; near the limit only an infeasible LP relaxation is taken as a proof.
                notes.Add($"{SolverId} reported infeasible near its time limit while the LP relaxation is feasible: nothing is proven");
                return MilpSolving.Unsolved(MilpStatus.NoSolutionFound, model, notes, clock);
            case Solver.ResultStatus.INFEASIBLE:
                return MilpSolving.Unsolved(timeRanOut ? MilpStatus.NoSolutionFound : MilpStatus.Infeasible, model, notes, clock);
            case Solver.ResultStatus.UNBOUNDED:
                return MilpSolving.Unsolved(MilpStatus.Unbounded, model, notes, clock);
            case Solver.ResultStatus.NOT_SOLVED or Solver.ResultStatus.ABNORMAL when options.TimeLimitSeconds is not null:
                return MilpSolving.Unsolved(MilpStatus.NoSolutionFound, model, notes, clock);
            default:
                throw new InvalidOperationException($"{SolverId} (OR-Tools) ended without a verdict ({status})");
        }
    }

    /// <summary>
    /// The LP relaxation of <paramref name="model"/> solved with GLOP: a valid bound on its
    /// optimum (constant included), or proof that the model is infeasible. The bound is "none"
    /// (infinite) when GLOP finds the relaxation unbounded or stops without an answer.
    /// </summary>
    internal static (bool Infeasible, double Bound) LinearRelaxation(MilpModel model, double? seconds)
    {
        using var glop = OrToolsLibrary.CreateLinearSolver("GLOP");
        Load(glop, model, relax: true);
        if (seconds is { } limit)
        {
            glop.SetTimeLimit(Milliseconds(limit));
        }

        return glop.Solve() switch
        {
            Solver.ResultStatus.OPTIMAL => (false, glop.Objective().Value() + model.ObjectiveConstant),
            Solver.ResultStatus.INFEASIBLE => (true, double.NaN),
            _ => (false, MilpSolving.NoBound(model.Sense)),
        };
    }

    /// <summary>Variables, rows and objective (without its constant, which results add back).</summary>
    private static Variable[] Load(Solver solver, MilpModel model, bool relax)
    {
        var variables = model.Variables
            .Select(v => solver.MakeVar(v.LowerBound, v.UpperBound, v.IsInteger && !relax, v.Name))
            .ToArray();
        foreach (var c in model.Constraints)
        {
            var row = solver.MakeConstraint(
                c.Sense == ConstraintSense.LessOrEqual ? double.NegativeInfinity : c.RightHandSide,
                c.Sense == ConstraintSense.GreaterOrEqual ? double.PositiveInfinity : c.RightHandSide,
                c.Name);
            foreach (var term in c.Terms)
            {
                row.SetCoefficient(variables[term.Variable.Index], term.Coefficient);
            }
        }

        var objective = solver.Objective();
        foreach (var term in model.Objective)
        {
            objective.SetCoefficient(variables[term.Variable.Index], term.Coefficient);
        }

        objective.SetOptimizationDirection(model.Sense == ObjectiveSense.Maximize);
        return variables;
    }

    private MPSolverParameters Configure(Solver solver, MilpOptions options, Variable[] variables, List<string> notes)
    {
        solver.SuppressOutput();
        if (options.TimeLimitSeconds is { } seconds)
        {
            solver.SetTimeLimit(Milliseconds(seconds));
        }

        // OR-Tools' CBC is built without threads: asked for more than one it prints "No match for
        // threads" to stdout and runs on one anyway.
        if (options.Threads > 1 && (Backend == OrToolsMipBackend.Cbc || !solver.SetNumThreads(options.Threads)))
        {
            notes.Add($"{SolverId} through OR-Tools runs on one thread: Threads = {options.Threads} was ignored");
        }

        // CBC's wrapper takes no solver-specific parameters (and logs a warning to stderr when asked).
        if (Backend == OrToolsMipBackend.Scip)
        {
            _ = solver.SetSolverSpecificParametersAsString(string.Create(CultureInfo.InvariantCulture,
                $"randomization/randomseedshift = {options.Seed & int.MaxValue}"));
        }

        if (options.StartValues is { } start)
        {
            if (Backend == OrToolsMipBackend.Scip)
            {
                solver.SetHint(new MPVariableVector(variables), [.. start]);
            }
            else
            {
                notes.Add("CBC through OR-Tools does not take a MIP start: StartValues were ignored");
            }
        }

        // MPSolver's default relative gap is 1e-4; a result called Optimal must honour the caller's.
        var parameters = new MPSolverParameters();
        parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, options.RelativeGap);
        return parameters;
    }

    private MilpResult Solved(Solver solver, MilpModel model, MilpOptions options, Variable[] variables, bool optimal,
        List<string> notes, Stopwatch clock)
    {
        var values = MilpSolving.CheckedValues(model, [.. variables.Select(v => v.SolutionValue())], $"{SolverId} (OR-Tools)");
        double objective = model.EvaluateObjective(values);

        // A model without integer variables is an LP: its optimum is its own bound.
        double bound = model.Variables.Any(v => v.IsInteger)
            ? FromSolver(solver.Objective().BestBound()) + model.ObjectiveConstant
            : optimal ? objective : MilpSolving.NoBound(model.Sense);
        if (optimal && !double.IsFinite(bound))
        {
            bound = objective;
        }
        else if (optimal && !MilpSolving.WithinGap(objective, bound, options.RelativeGap + MilpSolving.OptimalityTolerance))
        {
            optimal = false;
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{SolverId} called {objective} optimal but its bound {bound} leaves a larger gap than allowed: reported as Feasible"));
        }

        return new MilpResult(optimal ? MilpStatus.Optimal : MilpStatus.Feasible, objective, bound, values,
            clock.Elapsed.TotalMilliseconds) { Notes = notes };
    }

    /// <summary>
    /// The search used at least half its time limit, or the limit is under a second (a solver's own, coarser clock may
    /// end the search before the wall clock shows the limit).
    /// </summary>
    private static bool NearTimeLimit(MilpOptions options, Stopwatch search) =>
        options.TimeLimitSeconds is { } limit && (limit < 1 || search.Elapsed.TotalSeconds >= limit / 2);

    private static long Milliseconds(double seconds) => Math.Max(1, (long)Math.Ceiling(seconds * 1000));

    private static double FromSolver(double value) =>
        value >= SolverInfinity ? double.PositiveInfinity : value <= -SolverInfinity ? double.NegativeInfinity : value;
}

/// <summary>Turns OR-Tools' natives failing to load into an error that says what to do.</summary>
internal static class OrToolsLibrary
{
    internal static Solver CreateLinearSolver(string id) =>
        Load(() => Solver.CreateSolver(id)) ?? throw new InvalidOperationException($"OR-Tools was built without {id}");

    /// <summary>Runs a call into OR-Tools' natives; the first one of a process is where a missing library shows.</summary>
    internal static T Load<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e.GetBaseException() is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            // .NET lists every path it tried, one per line: the first line says what failed.
            var reason = e.GetBaseException().Message.Split('\n')[0];
            int cut = reason.IndexOf(". ", StringComparison.Ordinal);
            throw new StamenInputException("(system)", "milp solver",
                $"OR-Tools' native library could not be loaded ({(cut > 0 ? reason[..cut] : reason)})",
                "build Stamen on this machine: each build copies only its own platform's natives from the Google.OrTools.runtime.<platform> package");
        }
    }
}
