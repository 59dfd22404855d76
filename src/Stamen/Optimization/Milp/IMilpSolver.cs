namespace Stamen.Optimization.Milp;

/// <summary>Solves a <see cref="MilpModel"/>; one method so another solver can replace CBC.</summary>
public interface IMilpSolver
{
    MilpResult Solve(MilpModel model, MilpOptions options);
}
