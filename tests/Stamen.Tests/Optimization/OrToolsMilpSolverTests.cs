using Stamen.Optimization.Milp;

namespace Stamen.Tests.Optimization;

/// <summary>
/// The OR-Tools backends (SCIP, CBC and CP-SAT) through the catalog, on CbcMilpSolverTests' cases:
/// hand-worked models, agreement with the system CBC, statuses under a time limit, MIP starts.
/// </summary>
public sealed class OrToolsMilpSolverTests
{
    private static readonly MilpOptions Exact = new();

    /// <summary>Every backend added beside the system CBC.</summary>
    public static TheoryData<string> Backends() => ["scip", "ortools-cbc", "cp-sat"];

    /// <summary>The backends that take continuous variables and unbounded ones.</summary>
    public static TheoryData<string> MipBackends() => ["scip", "ortools-cbc"];

    [Theory]
    [MemberData(nameof(Backends))]
    public void Solve_SmallKnapsack_TakesTheTwoBestItems(string name)
    {
        // (weight, profit): (5, 10), (4, 40), (6, 30), (3, 50), capacity 10: items 1 and 3 give 90.
        var model = new MilpModel();
        var take = Enumerable.Range(0, 4).Select(i => model.AddBinary($"take{i}")).ToArray();
        model.AddConstraint("capacity", [5 * take[0], 4 * take[1], 6 * take[2], 3 * take[3]], ConstraintSense.LessOrEqual, 10);
        model.Maximize([10 * take[0], 40 * take[1], 30 * take[2], 50 * take[3]]);

        var result = MilpSolverCatalog.Create(name).Solve(model, Exact);

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(90, result.ObjectiveValue, 9);
        Assert.Equal([0, 1, 0, 1], result.Values);
        Assert.Equal(90, result.BestBound, 6);
        Assert.Empty(result.Notes);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Solve_AssignmentWithEqualityRows_FindsCheapestPermutation(string name)
    {
        // Costs [[9,2,7],[6,4,3],[5,8,1]]: the six permutations cost 14, 20, 9, 10, 21, 16.
        double[,] cost = { { 9, 2, 7 }, { 6, 4, 3 }, { 5, 8, 1 } };
        var model = new MilpModel();
        var x = new MilpVariable[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                x[i, j] = model.AddBinary($"x{i}{j}");
            }
        }

        for (int k = 0; k < 3; k++)
        {
            model.AddConstraint($"worker{k}", Enumerable.Range(0, 3).Select(j => 1 * x[k, j]), ConstraintSense.Equal, 1);
            model.AddConstraint($"task{k}", Enumerable.Range(0, 3).Select(i => 1 * x[i, k]), ConstraintSense.Equal, 1);
        }

        model.Minimize(Enumerable.Range(0, 9).Select(n => cost[n / 3, n % 3] * x[n / 3, n % 3]));

        var result = MilpSolverCatalog.Create(name).Solve(model, Exact);

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(9, result.ObjectiveValue, 9);
        Assert.Equal(1, result.Value(x[0, 1]));
        Assert.Equal(1, result.Value(x[1, 0]));
        Assert.Equal(1, result.Value(x[2, 2]));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Solve_ContradictoryIntegerRows_Infeasible(string name)
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, 10);
        model.AddConstraint("low", [1 * x], ConstraintSense.GreaterOrEqual, 6);
        model.AddConstraint("high", [1 * x], ConstraintSense.LessOrEqual, 4);
        model.Minimize([1 * x]);

        var result = MilpSolverCatalog.Create(name).Solve(model, Exact);

        Assert.Equal(MilpStatus.Infeasible, result.Status);
        Assert.Empty(result.Values);
        Assert.True(double.IsNaN(result.ObjectiveValue));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Solve_OnlyFractionalPointsFeasible_Infeasible(string name)
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", -5, 5);
        var y = model.AddInteger("y", -5, 5);
        model.AddConstraint("odd", [2 * x, 4 * y], ConstraintSense.Equal, 1);
        model.Minimize([1 * x]);

        Assert.Equal(MilpStatus.Infeasible, MilpSolverCatalog.Create(name).Solve(model, Exact).Status);
    }

    [Theory]
    [MemberData(nameof(MipBackends))]
    public void Solve_ContinuousRowsContradict_Infeasible(string name)
    {
        var model = new MilpModel();
        var x = model.AddContinuous("x", 0, 10);
        model.AddConstraint("low", [1 * x], ConstraintSense.GreaterOrEqual, 6);
        model.AddConstraint("high", [1 * x], ConstraintSense.LessOrEqual, 4);
        model.Minimize([1 * x]);

        Assert.Equal(MilpStatus.Infeasible, MilpSolverCatalog.Create(name).Solve(model, Exact).Status);
    }

    [Theory]
    [MemberData(nameof(MipBackends))]
    public void Solve_IntegerObjectiveImprovesWithoutLimit_Unbounded(string name)
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, double.PositiveInfinity);
        var y = model.AddInteger("y", 0, double.PositiveInfinity);
        model.AddConstraint("diff", [1 * x, -1 * y], ConstraintSense.LessOrEqual, 1);
        model.Maximize([1 * x, 1 * y]);

        var result = MilpSolverCatalog.Create(name).Solve(model, Exact);

        Assert.Equal(MilpStatus.Unbounded, result.Status);
        Assert.False(result.HasSolution);
    }

    [Theory]
    [MemberData(nameof(MipBackends))]
    public void Solve_LpObjectiveImprovesWithoutLimit_Unbounded(string name)
    {
        var model = new MilpModel();
        var x = model.AddContinuous("x", double.NegativeInfinity, 5);
        var y = model.AddContinuous("y", 0, 1);
        model.AddConstraint("link", [1 * x, 1 * y], ConstraintSense.LessOrEqual, 3);
        model.Minimize([1 * x, 1 * y]);

        Assert.Equal(MilpStatus.Unbounded, MilpSolverCatalog.Create(name).Solve(model, Exact).Status);
    }

    [Theory]
    [MemberData(nameof(MipBackends))]
    public void Solve_MixedModelWithConstant_StopsAtBoundsAndAddsConstant(string name)
    {
        var model = new MilpModel();
        var low = model.AddContinuous("low", 2.5, 10);
        var high = model.AddInteger("high", -3, 7.5);
        var negative = model.AddContinuous("negative", double.NegativeInfinity, -1.25);
        model.Maximize([-1 * low, 1 * high, 1 * negative], constant: 100);

        var result = MilpSolverCatalog.Create(name).Solve(model, Exact);

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(2.5, result.Value(low), 9);
        Assert.Equal(7, result.Value(high));
        Assert.Equal(-1.25, result.Value(negative), 9);
        Assert.Equal(100 - 2.5 + 7 - 1.25, result.ObjectiveValue, 9);
        Assert.Equal(result.ObjectiveValue, result.BestBound, 6);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Solve_IntegerMaximisationWithConstant_BoundAboveValue(string name)
    {
        // max 5a + 4b + 3c + 7 st a + b + c == 4, 2a + b <= 5, a..c in [0, 3] (c's upper bound 3.5 rounds in).
        var model = new MilpModel();
        var a = model.AddInteger("a", 0, 3);
        var b = model.AddInteger("b", 0, 3);
        var c = model.AddInteger("c", -0.5, 3.5);
        model.AddConstraint("total", [1 * a, 1 * b, 1 * c], ConstraintSense.Equal, 4);
        model.AddConstraint("mix", [2 * a, 1 * b], ConstraintSense.LessOrEqual, 5);
        model.Maximize([5 * a, 4 * b, 3 * c], constant: 7);

        var result = MilpSolverCatalog.Create(name).Solve(model, Exact);

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(MilpTestModels.BruteForce(model)!.Value, result.ObjectiveValue, 9);
        Assert.True(result.BestBound >= result.ObjectiveValue - 1e-6, "a maximisation's bound is above its value");
        Assert.True(result.Gap <= 1e-6);
    }

    /// <summary>Thirty seeded programs: each backend reaches the system CBC's optimum (and the enumeration's).</summary>
    public static TheoryData<string, int> AgreementCases()
    {
        var cases = new TheoryData<string, int>();
        foreach (var name in new[] { "scip", "ortools-cbc", "cp-sat" })
        {
            for (int seed = 100; seed < 130; seed++)
            {
                cases.Add(name, seed);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(AgreementCases))]
    public void Solve_RandomSmallIntegerProgram_AgreesWithSystemCbc(string name, int seed)
    {
        var model = MilpTestModels.RandomSmallIntegerProgram(seed);
        var reference = new CbcMilpSolver().Solve(model, Exact);

        var result = MilpSolverCatalog.Create(name).Solve(model, Exact);

        Assert.Equal(reference.Status, result.Status);
        if (reference.HasSolution)
        {
            Assert.Equal(reference.ObjectiveValue, result.ObjectiveValue, 6);
            Assert.Equal(MilpTestModels.BruteForce(model)!.Value, result.ObjectiveValue, 6);
            Assert.Equal(0, model.MaxViolation(result.Values), 6);
        }
        else
        {
            Assert.Null(MilpTestModels.BruteForce(model));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Solve_FortyItemKnapsackWithTinyTimeLimit_NeverClaimsMoreThanItProved(string name)
    {
        var model = MilpTestModels.MultiKnapsack(40, seed: 3);

        var result = MilpSolverCatalog.Create(name).Solve(model, new MilpOptions { TimeLimitSeconds = 0.01 });

        // Infeasible would be false (taking nothing is feasible); Optimal only with the bound to back it.
        Assert.Contains(result.Status, new[] { MilpStatus.Optimal, MilpStatus.Feasible, MilpStatus.NoSolutionFound });
        switch (result.Status)
        {
            case MilpStatus.Optimal:
                Assert.True(result.Gap <= 1e-6, $"Optimal with gap {result.Gap}");
                Assert.Equal(0, model.MaxViolation(result.Values), 6);
                break;
            case MilpStatus.Feasible:
                Assert.True(result.BestBound >= result.ObjectiveValue - 1e-6, $"bound {result.BestBound} below incumbent {result.ObjectiveValue}");
                Assert.Equal(0, model.MaxViolation(result.Values), 6);
                break;
            default:
                Assert.Empty(result.Values);
                Assert.True(double.IsPositiveInfinity(result.Gap));
                break;
        }

        Assert.True(result.SolveTimeMs < 5_000, $"time limit ignored: {result.SolveTimeMs} ms");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Solve_TooLargeForTimeLimit_ReportsNoSolutionOrIncumbentNeverOptimal(string name)
    {
        var model = MilpTestModels.MultiKnapsack(2000, seed: 5);

        var result = MilpSolverCatalog.Create(name).Solve(model, new MilpOptions { TimeLimitSeconds = 0.01 });

        Assert.Contains(result.Status, new[] { MilpStatus.NoSolutionFound, MilpStatus.Feasible });
        if (result.Status == MilpStatus.NoSolutionFound)
        {
            Assert.Empty(result.Values);
            Assert.True(double.IsPositiveInfinity(result.BestBound), "no bound is reported without a point");
        }
        else
        {
            Assert.True(result.Gap > 0);
            Assert.Equal(0, model.MaxViolation(result.Values), 6);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Solve_RelativeGapAllowed_StopsWithinThatGap(string name)
    {
        var model = MilpTestModels.MultiKnapsack(300, seed: 9);

        var result = MilpSolverCatalog.Create(name).Solve(model, new MilpOptions { RelativeGap = 0.02, TimeLimitSeconds = 10 });

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.True(result.BestBound >= result.ObjectiveValue - 1e-6);
        Assert.True(result.Gap <= 0.02 + 1e-6, $"gap {result.Gap}");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Solve_SameSeedOneThread_SameAnswer(string name)
    {
        var model = MilpTestModels.MultiKnapsack(30, seed: 7);
        var solver = MilpSolverCatalog.Create(name);

        var first = solver.Solve(model, new MilpOptions { Seed = 3 });
        var second = solver.Solve(model, new MilpOptions { Seed = 3 });

        Assert.Equal(first.Values, second.Values);
    }

    [Theory]
    [InlineData("cbc")]
    [InlineData("scip")]
    [InlineData("ortools-cbc")]
    [InlineData("cp-sat")]
    public void Solve_WithMipStart_AcceptsItAndStillSolvesExactly(string name)
    {
        var model = MilpTestModels.MultiKnapsack(25, seed: 11);
        var optimum = new CbcMilpSolver().Solve(model, Exact);
        // A feasible start that is not optimal: the optimum with its first chosen item dropped.
        var start = optimum.Values.ToArray();
        start[Array.IndexOf(start, 1.0)] = 0;

        var result = MilpSolverCatalog.Create(name).Solve(model, new MilpOptions { StartValues = start });

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(optimum.ObjectiveValue, result.ObjectiveValue, 6);
        Assert.Equal(name == "ortools-cbc", result.Notes.Any(n => n.Contains("MIP start", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("cbc")]
    [InlineData("scip")]
    [InlineData("cp-sat")]
    public void Solve_OptimalStartAndTinyTimeLimit_ReturnsAtLeastTheStart(string name)
    {
        var model = MilpTestModels.MultiKnapsack(300, seed: 9);
        var start = new CbcMilpSolver().Solve(model, new MilpOptions { RelativeGap = 0.001, TimeLimitSeconds = 10 });

        var result = MilpSolverCatalog.Create(name).Solve(model, new MilpOptions { StartValues = start.Values, TimeLimitSeconds = 0.5 });

        Assert.True(result.HasSolution, $"{result.Status}");
        Assert.True(result.ObjectiveValue >= start.ObjectiveValue - 1e-6, $"{result.ObjectiveValue} < start {start.ObjectiveValue}");
    }

    [Fact]
    public void Problems_StartOfWrongLength_Rejected()
    {
        var model = new MilpModel();
        model.AddBinary("x");
        model.AddBinary("y");
        var options = new MilpOptions { StartValues = [1, 0, 1] };

        Assert.Contains("StartValues must hold one value per variable (2), got 3", options.Problems(model));
        Assert.Empty(options.Problems());
        foreach (var name in MilpSolverCatalog.Names)
        {
            var error = Assert.Throws<StamenInputException>(() => MilpSolverCatalog.Create(name).Solve(model, options));
            Assert.Contains("StartValues", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_NativeLibraryMissing_InputErrorWithFirstLineOfTheReason()
    {
        var missing = new TypeInitializationException("Google.OrTools.Sat.operations_research_satPINVOKE",
            new DllNotFoundException("Unable to load shared library 'google-ortools-native' or one of its dependencies. In order to help diagnose\n/tmp/a.so: cannot open"));

        var error = Assert.Throws<StamenInputException>(() => OrToolsLibrary.Load<int>(() => throw missing));

        Assert.Contains("OR-Tools' native library could not be loaded (Unable to load shared library 'google-ortools-native' or one of its dependencies)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp/a.so", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_NamesEveryBackend_CaseInsensitively()
    {
        Assert.Equal(["cbc", "scip", "ortools-cbc", "cp-sat"], MilpSolverCatalog.Names);
        Assert.IsType<CbcMilpSolver>(MilpSolverCatalog.Create("cbc"));
        Assert.Equal(OrToolsMipBackend.Scip, Assert.IsType<OrToolsMipSolver>(MilpSolverCatalog.Create(" SCIP ")).Backend);
        Assert.Equal(OrToolsMipBackend.Cbc, Assert.IsType<OrToolsMipSolver>(MilpSolverCatalog.Create("ortools-cbc")).Backend);
        Assert.IsType<CpSatMilpSolver>(MilpSolverCatalog.Create("CP-SAT"));
    }

    [Fact]
    public void Catalog_UnknownName_ListsTheNames()
    {
        var error = Assert.Throws<StamenInputException>(() => MilpSolverCatalog.Create("highs"));

        Assert.Contains("unknown MILP solver 'highs'", error.Message, StringComparison.Ordinal);
        Assert.Contains("cbc, scip, ortools-cbc, cp-sat", error.Message, StringComparison.Ordinal);
    }
}
