using Stamen.Options;

namespace Stamen.Optimization.Milp;

/// <summary>Every MILP solver, by name (the generic catalog; `stamen catalog milp-solvers` lists it). See docs/milp.md.</summary>
public static class MilpSolverCatalog
{
    public static Catalog<IMilpSolver> Solvers { get; } = new("MILP solvers", "milp-solvers",
    [
        new("cbc", "COIN-OR CBC 2.10 from the system (libCbcSolver.so.3, apt-get install coinor-libcbc3), called directly", [],
            _ => new CbcMilpSolver()),
        new("scip", "SCIP 10 through OR-Tools (natives in the NuGet package): branch and cut, uses a MIP start", [],
            _ => new OrToolsMipSolver(OrToolsMipBackend.Scip)),
        new("ortools-cbc", "CBC 2.10 as built into OR-Tools: the same search as cbc without the system library; ignores a MIP start", [],
            _ => new OrToolsMipSolver(OrToolsMipBackend.Cbc)),
        new("cp-sat", "OR-Tools CP-SAT: all-integer models only; decimal coefficients are scaled exactly, others rounded conservatively (results say so)", [],
            _ => new CpSatMilpSolver()),
    ]);

    public static IReadOnlyList<string> Names => [.. Solvers.Names];

    /// <summary>The solver called <paramref name="name"/> (case-insensitive), or an input error listing the names.</summary>
    public static IMilpSolver Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Solvers.Find(name.Trim(), "(input)", "milp solver").Create();
    }
}
