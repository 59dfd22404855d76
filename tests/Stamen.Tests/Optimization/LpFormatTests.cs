using Stamen.Optimization.Milp;

namespace Stamen.Tests.Optimization;

/// <summary>The LP-format reader: hand-written models solve to their hand-worked optimum; Helix's published instances read so that Gurobi's own solutions are feasible with Gurobi's objective.</summary>
public sealed class LpFormatTests
{
    private const string Small = """
        \ a knapsack with a general and a bound
        Maximize
          obj: 5 x + 4 y + 3 z - 2
        Subject To
         cap: 2 x + 3 y
           + z <= 5
         link: x - y >= -1
        Bounds
         z <= 3
        Binaries
         x y
        Generals
         z
        End
        """;

    [Fact]
    public void Parse_SmallModel_SolvesToTheHandWorkedOptimum()
    {
        var model = LpFormat.Parse(Small, "small.lp");
        Assert.Equal(["x", "y", "z"], model.Variables.Select(v => v.Name));
        Assert.Equal((0.0, 3.0, true), (model.Variables[2].LowerBound, model.Variables[2].UpperBound, model.Variables[2].IsInteger));
        Assert.Equal(ObjectiveSense.Maximize, model.Sense);
        // x = 1 takes 2 of the 5; then z = 3 (3 x 3 = 9) beats y = 1 with z = 0 (4): 5 + 9 - 2 = 12.
        var result = MilpSolverCatalog.Create("cp-sat").Solve(model, new MilpOptions());
        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(12, result.ObjectiveValue, 9);
        Assert.Equal([1.0, 0.0, 3.0], result.Values);
    }

    [Theory]
    [InlineData("Maximize\n x\nSubject To\n c: x + y\nEnd\n", "no <=, >= or = after the terms")]
    [InlineData("Subject To\n c: x <= 1\nEnd\n", "no objective section")]
    [InlineData("Maximize\n x\nSubject To\n c: x <= \nEnd\n", "no number on the right side")]
    [InlineData("Maximize\n x\nSOS\n s1: x:1\nEnd\n", "is not supported")]
    public void Parse_Malformed_ClearError(string text, string problem)
    {
        var e = Assert.Throws<StamenInputException>(() => LpFormat.Parse(text, "bad.lp"));
        Assert.Equal("bad.lp", e.File);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cluster10-llama1-30b", 286.59)]
    [InlineData("single24-llama2-70b", 1289.56)]
    [InlineData("3cluster24-llama2-70b-pruned", 1212.18)]
    [InlineData("cluster42-llama2-70b-pruned", 4137.55)]
    public void HelixInstances_GurobisSolutionIsFeasibleWithItsObjective(string instance, double objective)
    {
        var model = LpFormat.Load(RepositoryData.PathTo($"helix/milp/{instance}/ilp_model.lp"));
        var solution = LpFormat.ReadSolution(RepositoryData.PathTo($"helix/milp/{instance}/ilp_solution.sol"), model);

        Assert.True(model.MaxViolation(solution) < 1e-4, $"max violation {model.MaxViolation(solution)}");
        Assert.Equal(objective, model.EvaluateObjective(solution), 2);
        Assert.Contains(model.Variables, v => v.IsInteger && v.UpperBound == 1);
    }
}
