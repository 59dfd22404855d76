using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Stamen.Optimization.Milp;

/// <summary>
/// Solves a <see cref="MilpModel"/> exactly with COIN-OR CBC (the system's
/// <c>libCbcSolver.so.3</c>). Statuses are read from CBC's own flags, and every value returned is
/// re-checked against the model, so a binding or solver fault shows as an exception, never as a
/// silently wrong plan.
/// </summary>
public sealed class CbcMilpSolver : IMilpSolver
{
    /// <summary>CBC's command-line driver keeps process-wide state; one solve at a time is the safe use.</summary>
    private static readonly Lock SolveLock = new();

    /// <summary>CBC's "infinity" (COIN_DBL_MAX); bounds beyond it are reported as infinite.</summary>
    private const double CbcInfinity = double.MaxValue;

    public MilpResult Solve(MilpModel model, MilpOptions options)
    {
        MilpSolving.Validate(model, options);
        CbcLibrary.EnsureLoaded(CbcNative.LibraryName);
        var clock = Stopwatch.StartNew();
        lock (SolveLock)
        {
            nint cbc = CbcNative.Cbc_newModel();
            if (cbc == 0)
            {
                throw new InvalidOperationException("CBC could not create a model (Cbc_newModel returned null)");
            }

            try
            {
                Load(cbc, model);
                Configure(cbc, options);
                if (options.StartValues is { } start)
                {
                    // Matched to columns by name inside CBC; a start CBC finds infeasible is dropped.
                    CbcNative.Cbc_setMIPStartI(cbc, start.Count, [.. Enumerable.Range(0, start.Count)], [.. start]);
                }

                _ = CbcNative.Cbc_solve(cbc); // the return code repeats Cbc_status, read with the flags below
                return ReadResult(cbc, model, clock, options.TimeLimitSeconds);
            }
            finally
            {
                CbcNative.Cbc_deleteModel(cbc);
            }
        }
    }

    private static void Load(nint cbc, MilpModel model)
    {
        var variables = model.Variables;
        var constraints = model.Constraints;

        // The model holds rows; CBC wants columns. Count entries per column, then fill.
        var start = new int[variables.Count + 1];
        foreach (var row in constraints)
        {
            foreach (var term in row.Terms)
            {
                start[term.Variable.Index + 1]++;
            }
        }

        for (int j = 0; j < variables.Count; j++)
        {
            start[j + 1] += start[j];
        }

        var next = start[..^1];
        var index = new int[start[^1]];
        var value = new double[start[^1]];
        foreach (var row in constraints)
        {
            foreach (var term in row.Terms)
            {
                int k = next[term.Variable.Index]++;
                index[k] = row.Index;
                value[k] = term.Coefficient;
            }
        }

        var objective = new double[variables.Count];
        foreach (var term in model.Objective)
        {
            objective[term.Variable.Index] = term.Coefficient;
        }

        var colLower = variables.Select(v => ToCbc(v.LowerBound)).ToArray();
        var colUpper = variables.Select(v => ToCbc(v.UpperBound)).ToArray();
        var rowLower = constraints.Select(c => c.Sense == ConstraintSense.LessOrEqual ? -CbcInfinity : c.RightHandSide).ToArray();
        var rowUpper = constraints.Select(c => c.Sense == ConstraintSense.GreaterOrEqual ? CbcInfinity : c.RightHandSide).ToArray();

        CbcNative.Cbc_loadProblem(cbc, variables.Count, constraints.Count, start, index, value,
            colLower, colUpper, objective, rowLower, rowUpper);
        foreach (var v in variables)
        {
            CbcNative.Cbc_setColName(cbc, v.Index, v.Name);
            if (v.IsInteger)
            {
                CbcNative.Cbc_setInteger(cbc, v.Index);
            }
        }

        foreach (var c in constraints)
        {
            CbcNative.Cbc_setRowName(cbc, c.Index, c.Name);
        }

        CbcNative.Cbc_setObjSense(cbc, model.Sense == ObjectiveSense.Maximize ? -1 : 1);
    }

    /// <summary>Parameter names are those of the <c>cbc</c> command line (CBC 2.10).</summary>
    private static void Configure(nint cbc, MilpOptions options)
    {
        // Without log 0 CBC prints its whole search to stdout, which would corrupt CLI output.
        CbcNative.Cbc_setLogLevel(cbc, 0);
        Set(cbc, "log", 0);
        Set(cbc, "slogLevel", 0);
        if (options.TimeLimitSeconds is { } seconds)
        {
            // CBC counts CPU seconds unless told otherwise; a user's limit is wall time.
            CbcNative.Cbc_setParameter(cbc, "timeMode", "elapsed");
            Set(cbc, "seconds", seconds);
        }

        Set(cbc, "ratioGap", options.RelativeGap);
        Set(cbc, "allowableGap", 0);
        // CBC's "threads 0" is its serial, deterministic search; "threads 1" would start one worker thread.
        Set(cbc, "threads", options.Threads == 1 ? 0 : options.Threads);
        Set(cbc, "randomCbcSeed", options.Seed);
        Set(cbc, "randomSeed", options.Seed);
    }

    private static void Set(nint cbc, string name, double value) =>
        CbcNative.Cbc_setParameter(cbc, name, value.ToString("R", CultureInfo.InvariantCulture));

    private static MilpResult ReadResult(nint cbc, MilpModel model, Stopwatch clock, double? timeLimitSeconds)
    {
        double bound = FromCbc(CbcNative.Cbc_getBestPossibleObjValue(cbc)) + model.ObjectiveConstant;
        if (model.Variables.All(v => !v.IsInteger))
        {
            return ReadLinearResult(cbc, model, clock);
        }

        nint solution = CbcNative.Cbc_bestSolution(cbc);
        bool optimal = CbcNative.Cbc_isProvenOptimal(cbc) != 0;

        // An incumbent is returned whatever stopped the search: proven optimal (CBC counts a stop
        // within ratioGap as optimal) or not, in which case the bound and gap tell how far off.
        if (solution == 0)
        {
            // The time limit is asked first: CBC 2.10 also flags "proven infeasible" when time ran
            // out before any incumbent, which would turn "not found yet" into a false proof. The
            // seconds flag is not always set when time runs out early (during preprocessing), so a
            // search that stopped (status 1) or used its whole budget counts as stopped too.
            var stopped = CbcNative.Cbc_isSecondsLimitReached(cbc) != 0 || CbcNative.Cbc_status(cbc) == 1
                || (timeLimitSeconds is { } limit && clock.Elapsed.TotalSeconds >= limit);
            var status = stopped ? MilpStatus.NoSolutionFound
                : CbcNative.Cbc_isContinuousUnbounded(cbc) != 0 ? MilpStatus.Unbounded
                : CbcNative.Cbc_isProvenInfeasible(cbc) != 0 ? MilpStatus.Infeasible
                : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"CBC ended without a verdict (status {CbcNative.Cbc_status(cbc)}, secondary {CbcNative.Cbc_secondaryStatus(cbc)})"));
            return new MilpResult(status, double.NaN, status == MilpStatus.NoSolutionFound ? bound : double.NaN,
                [], clock.Elapsed.TotalMilliseconds);
        }

        return Solved(model, solution, optimal, bound, clock);
    }

    /// <summary>
    /// A model without integer columns never enters branch and bound (Cbc_status stays -1); CBC
    /// then answers from its LP solver, where "proven infeasible" means primal or dual
    /// infeasible, so primal infeasibility is asked separately to tell Infeasible from Unbounded.
    /// </summary>
    private static MilpResult ReadLinearResult(nint cbc, MilpModel model, Stopwatch clock)
    {
        if (CbcNative.Cbc_isInitialSolveProvenOptimal(cbc) != 0)
        {
            return Solved(model, CbcNative.Cbc_getColSolution(cbc), optimal: true, double.NaN, clock);
        }

        var status = CbcNative.Cbc_isInitialSolveProvenPrimalInfeasible(cbc) != 0 ? MilpStatus.Infeasible
            : CbcNative.Cbc_isProvenInfeasible(cbc) != 0 ? MilpStatus.Unbounded
            : MilpStatus.NoSolutionFound;
        return new MilpResult(status, double.NaN, double.NaN, [], clock.Elapsed.TotalMilliseconds);
    }

    private static MilpResult Solved(MilpModel model, nint solution, bool optimal, double bound, Stopwatch clock)
    {
        var raw = new double[model.Variables.Count];
        Marshal.Copy(solution, raw, 0, raw.Length);
        var values = MilpSolving.CheckedValues(model, raw, "CBC");
        double objective = model.EvaluateObjective(values);
        return new MilpResult(optimal ? MilpStatus.Optimal : MilpStatus.Feasible, objective,
            optimal && !double.IsFinite(bound) ? objective : bound, values, clock.Elapsed.TotalMilliseconds);
    }

    private static double ToCbc(double bound) =>
        double.IsPositiveInfinity(bound) ? CbcInfinity : double.IsNegativeInfinity(bound) ? -CbcInfinity : bound;

    private static double FromCbc(double value) =>
        value >= 1e30 ? double.PositiveInfinity : value <= -1e30 ? double.NegativeInfinity : value;
}

/// <summary>Loads CBC once and turns its absence into an error that says what to install.</summary>
internal static class CbcLibrary
{
    private static readonly Lock LoadLock = new();
    private static readonly HashSet<string> Loaded = [];

    internal static void EnsureLoaded(string libraryName)
    {
        lock (LoadLock)
        {
            if (Loaded.Contains(libraryName))
            {
                return;
            }

            if (!NativeLibrary.TryLoad(libraryName, typeof(CbcLibrary).Assembly, null, out _))
            {
                throw new StamenInputException("(system)", "milp solver",
                    $"COIN-OR CBC not found ({libraryName})", "install it with `apt-get install coinor-libcbc3`");
            }

            Loaded.Add(libraryName);
        }
    }
}
