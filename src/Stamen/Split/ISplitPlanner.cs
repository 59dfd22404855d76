namespace Stamen.Split;

/// <summary>
/// A way to place one request type's layers between client and server (SplitLLM's dynamic program
/// or a baseline); chosen by name from <see cref="SplitPlannerCatalog"/>.
/// </summary>
public interface ISplitPlanner
{
    /// <summary>The placement for <paramref name="problem"/>, or null when the method finds none that meets the SLA and says so (the dynamic program).</summary>
    SplitPlan? Plan(SplitProblem problem);
}
