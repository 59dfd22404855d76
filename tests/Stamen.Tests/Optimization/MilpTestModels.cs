using Stamen.Optimization.Milp;

namespace Stamen.Tests.Optimization;

/// <summary>Models and an exact oracle shared by the MILP solver tests.</summary>
internal static class MilpTestModels
{
    /// <summary>Binary multi-dimensional knapsack: five capacity rows at half the total weight, maximise profit.</summary>
    public static MilpModel MultiKnapsack(int items, int seed)
    {
        const int rows = 5;
        var random = new Random(seed);
        var model = new MilpModel();
        var take = Enumerable.Range(0, items).Select(i => model.AddBinary($"take{i}")).ToArray();
        for (int r = 0; r < rows; r++)
        {
            var weights = take.Select(_ => (double)random.Next(100, 1000)).ToArray();
            model.AddConstraint($"capacity{r}", take.Select((x, i) => weights[i] * x), ConstraintSense.LessOrEqual, weights.Sum() / 2);
        }

        model.Maximize(take.Select(x => random.Next(100, 1000) * x));
        return model;
    }

    /// <summary>
    /// Four bounded integers (negative bounds too), three rows of mixed senses, equality included,
    /// either objective direction and a constant: small enough for <see cref="BruteForce"/>.
    /// </summary>
    public static MilpModel RandomSmallIntegerProgram(int seed)
    {
        var random = new Random(seed);
        var model = new MilpModel();
        var vars = Enumerable.Range(0, 4)
            .Select(i => model.AddInteger($"x{i}", random.Next(-3, 1), random.Next(1, 4)))
            .ToArray();
        var senses = new[] { ConstraintSense.LessOrEqual, ConstraintSense.GreaterOrEqual, ConstraintSense.Equal };
        for (int r = 0; r < 3; r++)
        {
            model.AddConstraint($"r{r}", vars.Select(x => random.Next(-4, 5) * x), senses[random.Next(3)], random.Next(-3, 4));
        }

        var objective = vars.Select(x => random.Next(-5, 6) * x).ToArray();
        if (random.Next(2) == 0)
        {
            model.Minimize(objective, constant: 2.5);
        }
        else
        {
            model.Maximize(objective, constant: 2.5);
        }

        return model;
    }

    /// <summary>Best objective over every integer point in the bounds; null when none is feasible.</summary>
    public static double? BruteForce(MilpModel model)
    {
        var vars = model.Variables;
        var point = new double[vars.Count];
        double? best = null;
        void Visit(int i)
        {
            if (i == vars.Count)
            {
                if (model.MaxViolation(point) <= 1e-9)
                {
                    double value = model.EvaluateObjective(point);
                    bool better = best is null || (model.Sense == ObjectiveSense.Minimize ? value < best : value > best);
                    best = better ? value : best;
                }

                return;
            }

            for (double x = Math.Ceiling(vars[i].LowerBound); x <= vars[i].UpperBound; x++)
            {
                point[i] = x;
                Visit(i + 1);
            }
        }

        Visit(0);
        return best;
    }
}
