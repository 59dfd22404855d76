using System.Runtime.InteropServices;

namespace Stamen.Optimization.Milp;

/// <summary>
/// The few functions of CBC 2.10's C interface (<c>Cbc_C_Interface.h</c>) that
/// <see cref="CbcMilpSolver"/> needs. Pointers stay <see cref="nint"/> so no unsafe code is needed
/// here; arrays passed in are pinned by the generated marshallers for the call only.
/// </summary>
internal static partial class CbcNative
{
    internal const string LibraryName = "libCbcSolver.so.3";

    [LibraryImport(LibraryName)]
    internal static partial nint Cbc_newModel();

    [LibraryImport(LibraryName)]
    internal static partial void Cbc_deleteModel(nint model);

    /// <summary>Column-major (CSC) matrix; <c>start</c> has numCols + 1 entries. CoinBigIndex is int in Debian's build.</summary>
    [LibraryImport(LibraryName)]
    internal static partial void Cbc_loadProblem(nint model, int numCols, int numRows,
        int[] start, int[] index, double[] value,
        double[] colLower, double[] colUpper, double[] objective,
        double[] rowLower, double[] rowUpper);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void Cbc_setColName(nint model, int column, string name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void Cbc_setRowName(nint model, int row, string name);

    [LibraryImport(LibraryName)]
    internal static partial void Cbc_setInteger(nint model, int column);

    /// <summary>1 minimises, -1 maximises.</summary>
    [LibraryImport(LibraryName)]
    internal static partial void Cbc_setObjSense(nint model, double sense);

    /// <summary>Passed to CBC's command line as <c>-name value</c> when solving.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void Cbc_setParameter(nint model, string name, string value);

    /// <summary>Silences the LP-only path, which does not read the "log" parameter.</summary>
    [LibraryImport(LibraryName)]
    internal static partial void Cbc_setLogLevel(nint model, int logLevel);

    /// <summary>A MIP start: CBC checks it and, when it is feasible, starts from it as the first incumbent.</summary>
    [LibraryImport(LibraryName)]
    internal static partial void Cbc_setMIPStartI(nint model, int count, int[] columns, double[] values);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_solve(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isProvenOptimal(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isProvenInfeasible(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isContinuousUnbounded(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isSecondsLimitReached(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_status(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_secondaryStatus(nint model);

    /// <summary>Null when no feasible solution was found.</summary>
    [LibraryImport(LibraryName)]
    internal static partial nint Cbc_bestSolution(nint model);

    [LibraryImport(LibraryName)]
    internal static partial double Cbc_getObjValue(nint model);

    [LibraryImport(LibraryName)]
    internal static partial double Cbc_getBestPossibleObjValue(nint model);

    /// <summary>State of the LP solver: the only verdict CBC gives when the model has no integer column.</summary>
    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isInitialSolveProvenOptimal(nint model);

    [LibraryImport(LibraryName)]
    internal static partial int Cbc_isInitialSolveProvenPrimalInfeasible(nint model);

    /// <summary>The LP solver's point; used for models without integer columns, where no incumbent is kept.</summary>
    [LibraryImport(LibraryName)]
    internal static partial nint Cbc_getColSolution(nint model);
}
