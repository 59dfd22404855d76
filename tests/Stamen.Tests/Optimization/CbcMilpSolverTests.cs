using Stamen.Optimization.Milp;

namespace Stamen.Tests.Optimization;

public sealed class CbcMilpSolverTests
{
    private static readonly MilpOptions Exact = new();
    private readonly CbcMilpSolver _solver = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Solve_RandomKnapsack_EqualsBruteForceOverAllSubsets(int seed)
    {
        var random = new Random(seed);
        const int items = 13;
        var weights = Enumerable.Range(0, items).Select(_ => random.Next(5, 40)).ToArray();
        var profits = Enumerable.Range(0, items).Select(_ => random.Next(1, 60)).ToArray();
        int capacity = weights.Sum() / 3;

        var model = new MilpModel();
        var take = Enumerable.Range(0, items).Select(i => model.AddBinary($"take{i}")).ToArray();
        model.AddConstraint("capacity", take.Select((x, i) => weights[i] * x), ConstraintSense.LessOrEqual, capacity);
        model.Maximize(take.Select((x, i) => profits[i] * x));

        int best = 0;
        for (int subset = 0; subset < 1 << items; subset++)
        {
            int weight = 0, profit = 0;
            for (int i = 0; i < items; i++)
            {
                if ((subset >> i & 1) == 1)
                {
                    weight += weights[i];
                    profit += profits[i];
                }
            }

            if (weight <= capacity)
            {
                best = Math.Max(best, profit);
            }
        }

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(best, result.ObjectiveValue, 6);
        Assert.True(take.Sum(x => weights[x.Index] * result.Value(x)) <= capacity);
        Assert.True(result.Gap <= 1e-6);
    }

    [Fact]
    public void Solve_LpRelaxationFractional_ReturnsIntegerOptimumNotRelaxation()
    {
        // max y st -x + y <= 1, 3x + 2y <= 12, 2x + 3y <= 12: the LP optimum is fractional.
        MilpResult SolveWith(bool integer)
        {
            var model = new MilpModel();
            var x = model.AddVariable("x", 0, 10, integer);
            var y = model.AddVariable("y", 0, 10, integer);
            model.AddConstraint("a", [-1 * x, 1 * y], ConstraintSense.LessOrEqual, 1);
            model.AddConstraint("b", [3 * x, 2 * y], ConstraintSense.LessOrEqual, 12);
            model.AddConstraint("c", [2 * x, 3 * y], ConstraintSense.LessOrEqual, 12);
            model.Maximize([1 * y]);
            var bruteForce = MilpTestModels.BruteForce(model);
            var result = _solver.Solve(model, Exact);
            if (integer)
            {
                Assert.Equal(bruteForce!.Value, result.ObjectiveValue, 9);
            }

            return result;
        }

        var integerResult = SolveWith(integer: true);
        var relaxed = SolveWith(integer: false);

        Assert.Equal(MilpStatus.Optimal, integerResult.Status);
        Assert.Equal(MilpStatus.Optimal, relaxed.Status);
        Assert.True(relaxed.ObjectiveValue > integerResult.ObjectiveValue + 0.1,
            $"relaxation {relaxed.ObjectiveValue} should beat integer {integerResult.ObjectiveValue}");
        Assert.All(integerResult.Values, v => Assert.Equal(Math.Round(v), v));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(18)]
    public void Solve_RandomSmallIntegerProgram_AgreesWithEnumeration(int seed)
    {
        // Mixed senses, equality rows, negative bounds and both objective directions in one oracle check.
        var model = MilpTestModels.RandomSmallIntegerProgram(seed);
        double? expected = MilpTestModels.BruteForce(model);
        var result = _solver.Solve(model, Exact);

        if (expected is null)
        {
            Assert.Equal(MilpStatus.Infeasible, result.Status);
            Assert.False(result.HasSolution);
        }
        else
        {
            Assert.Equal(MilpStatus.Optimal, result.Status);
            Assert.Equal(expected.Value, result.ObjectiveValue, 6);
            Assert.Equal(0, model.MaxViolation(result.Values), 6);
        }
    }

    [Fact]
    public void Solve_ContradictoryRows_Infeasible()
    {
        var model = new MilpModel();
        var x = model.AddContinuous("x", 0, 10);
        model.AddConstraint("low", [1 * x], ConstraintSense.GreaterOrEqual, 6);
        model.AddConstraint("high", [1 * x], ConstraintSense.LessOrEqual, 4);
        model.Minimize([1 * x]);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MilpStatus.Infeasible, result.Status);
        Assert.Empty(result.Values);
        Assert.True(double.IsNaN(result.ObjectiveValue));
    }

    [Fact]
    public void Solve_OnlyFractionalPointsFeasible_Infeasible()
    {
        // 2x == 1 has an LP solution but no integer one: branch and bound must prove it.
        var model = new MilpModel();
        var x = model.AddInteger("x", -5, 5);
        var y = model.AddInteger("y", -5, 5);
        model.AddConstraint("odd", [2 * x, 4 * y], ConstraintSense.Equal, 1);
        model.Minimize([1 * x]);

        Assert.Equal(MilpStatus.Infeasible, _solver.Solve(model, Exact).Status);
    }

    [Fact]
    public void Solve_ObjectiveImprovesWithoutLimit_Unbounded()
    {
        var model = new MilpModel();
        var x = model.AddInteger("x", 0, double.PositiveInfinity);
        var y = model.AddInteger("y", 0, double.PositiveInfinity);
        model.AddConstraint("diff", [1 * x, -1 * y], ConstraintSense.LessOrEqual, 1);
        model.Maximize([1 * x, 1 * y]);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MilpStatus.Unbounded, result.Status);
        Assert.False(result.HasSolution);
    }

    [Fact]
    public void Solve_ContinuousObjectiveImprovesWithoutLimit_Unbounded()
    {
        var model = new MilpModel();
        var x = model.AddContinuous("x", double.NegativeInfinity, 5);
        var y = model.AddContinuous("y", 0, 1);
        model.AddConstraint("link", [1 * x, 1 * y], ConstraintSense.LessOrEqual, 3);
        model.Minimize([1 * x, 1 * y]);

        Assert.Equal(MilpStatus.Unbounded, _solver.Solve(model, Exact).Status);
    }

    [Fact]
    public void Solve_EqualityAndMaximisation_MeetsRowsExactly()
    {
        // max 5a + 4b + 3c st a + b + c == 4, 2a + b <= 5, a..c integer in [0, 3]: the optimum comes from enumeration.
        var model = new MilpModel();
        var a = model.AddInteger("a", 0, 3);
        var b = model.AddInteger("b", 0, 3);
        var c = model.AddInteger("c", 0, 3);
        model.AddConstraint("total", [1 * a, 1 * b, 1 * c], ConstraintSense.Equal, 4);
        model.AddConstraint("mix", [2 * a, 1 * b], ConstraintSense.LessOrEqual, 5);
        model.Maximize([5 * a, 4 * b, 3 * c]);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(4, result.Value(a) + result.Value(b) + result.Value(c));
        Assert.Equal(MilpTestModels.BruteForce(model)!.Value, result.ObjectiveValue, 9);
        Assert.True(result.BestBound >= result.ObjectiveValue - 1e-6, "a maximisation's bound is above its value");
    }

    [Fact]
    public void Solve_ObjectivePushesAgainstBounds_StopsAtBounds()
    {
        var model = new MilpModel();
        var low = model.AddContinuous("low", 2.5, 10);
        var high = model.AddInteger("high", -3, 7.5);
        var negative = model.AddContinuous("negative", double.NegativeInfinity, -1.25);
        model.Maximize([-1 * low, 1 * high, 1 * negative], constant: 100);

        var result = _solver.Solve(model, Exact);

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.Equal(2.5, result.Value(low), 9);
        Assert.Equal(7, result.Value(high));
        Assert.Equal(-1.25, result.Value(negative), 9);
        Assert.Equal(100 - 2.5 + 7 - 1.25, result.ObjectiveValue, 9);
    }

    // Limits are wall time (CBC's timeMode elapsed): long enough for CBC's heuristics to find an
    // incumbent on a loaded 2-core CI machine, short enough to cut the 300-item search.
    [Theory]
    [InlineData(60, 0.5)]
    [InlineData(300, 0.25)]
    public void Solve_KnapsackWithTinyTimeLimit_ReturnsIncumbentWithConsistentBound(int items, double seconds)
    {
        var model = MilpTestModels.MultiKnapsack(items, seed: 42);

        var result = _solver.Solve(model, new MilpOptions { TimeLimitSeconds = seconds });

        Assert.Contains(result.Status, new[] { MilpStatus.Optimal, MilpStatus.Feasible });
        Assert.True(result.Gap >= 0);
        Assert.True(result.BestBound >= result.ObjectiveValue - 1e-6, $"bound {result.BestBound} below incumbent {result.ObjectiveValue}");
        Assert.True(result.Status == MilpStatus.Optimal ? result.Gap <= 1e-6 : result.Gap > 0, $"{result.Status} with gap {result.Gap}");
        Assert.Equal(0, model.MaxViolation(result.Values), 6);
        Assert.True(result.SolveTimeMs < 5_000, $"time limit ignored: {result.SolveTimeMs} ms");
    }

    [Fact]
    public void Solve_TooLargeForTimeLimit_ReportsNoSolutionOrIncumbentNeverOptimal()
    {
        var model = MilpTestModels.MultiKnapsack(2000, seed: 5);

        var result = _solver.Solve(model, new MilpOptions { TimeLimitSeconds = 0.01 });

        Assert.Contains(result.Status, new[] { MilpStatus.NoSolutionFound, MilpStatus.Feasible });
        if (result.Status == MilpStatus.NoSolutionFound)
        {
            Assert.Empty(result.Values);
            Assert.True(double.IsPositiveInfinity(result.Gap));
            Assert.Throws<InvalidOperationException>(() => result.Value(model.Variables[0]));
        }
        else
        {
            Assert.True(result.Gap > 0);
        }
    }

    [Fact]
    public void Solve_RelativeGapAllowed_StopsWithinThatGap()
    {
        var model = MilpTestModels.MultiKnapsack(300, seed: 9);

        var result = _solver.Solve(model, new MilpOptions { RelativeGap = 0.02, TimeLimitSeconds = 10 });

        Assert.Equal(MilpStatus.Optimal, result.Status);
        Assert.True(result.BestBound >= result.ObjectiveValue - 1e-6);
        Assert.True(result.Gap <= 0.02 + 1e-9, $"gap {result.Gap}");
    }

    [Fact]
    public void Solve_SameSeed_SameAnswer()
    {
        var model = new MilpModel();
        var random = new Random(7);
        var take = Enumerable.Range(0, 20).Select(i => model.AddBinary($"take{i}")).ToArray();
        model.AddConstraint("capacity", take.Select(x => random.Next(1, 30) * x), ConstraintSense.LessOrEqual, 100);
        model.Maximize(take.Select(x => random.Next(1, 30) * x));

        var first = _solver.Solve(model, new MilpOptions { Seed = 3 });
        var second = _solver.Solve(model, new MilpOptions { Seed = 3 });

        Assert.Equal(first.Values, second.Values);
    }

    [Fact]
    public void Solve_InvalidOptions_ThrowsInputErrorNamingEveryProblem()
    {
        var model = new MilpModel();
        model.AddBinary("x");

        var error = Assert.Throws<StamenInputException>(() =>
            _solver.Solve(model, new MilpOptions { TimeLimitSeconds = -1, Threads = 0 }));

        Assert.Contains("TimeLimitSeconds", error.Message, StringComparison.Ordinal);
        Assert.Contains("Threads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureLoaded_LibraryMissing_SaysWhichPackageToInstall()
    {
        var error = Assert.Throws<StamenInputException>(() => CbcLibrary.EnsureLoaded("libCbcSolverMissing.so.99"));

        Assert.Contains("COIN-OR CBC not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install coinor-libcbc3", error.Message, StringComparison.Ordinal);
    }
}
