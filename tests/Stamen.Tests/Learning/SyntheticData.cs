using Stamen.Learning;

namespace Stamen.Tests.Learning;

/// <summary>Seeded synthetic problems shaped like the LoRA throughput data: 7 features, some irrelevant.</summary>
internal static class SyntheticData
{
    public static readonly string[] Names = ["x0", "x1", "x2", "x3", "x4", "x5", "x6"];

    /// <summary>y = sin(x0)·x1 + x2² + N(0, 0.1²); x3..x6 are noise features.</summary>
    public static TabularData Regression(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new double[rows][];
        var y = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            x[i] = Row(rng);
            y[i] = Math.Sin(x[i][0]) * x[i][1] + x[i][2] * x[i][2] + 0.1 * Gaussian(rng);
        }
        return new TabularData(Names, x, y);
    }

    /// <summary>Class 1 inside the disc x0² + x1² &lt; 4 (4% of labels flipped); x2..x6 are noise features.</summary>
    public static TabularData Classification(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new double[rows][];
        var y = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            x[i] = Row(rng);
            var r2 = x[i][0] * x[i][0] + x[i][1] * x[i][1];
            var inside = r2 < 4;
            if (rng.NextDouble() < 0.04) inside = !inside;
            y[i] = inside ? 1 : 0;
        }
        return new TabularData(Names, x, y);
    }

    /// <summary>Random rows in the features' range, for comparing two models' predictions.</summary>
    public static double[][] RandomRows(int rows, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => Row(rng)).ToArray();
    }

    private static double[] Row(Random rng) =>
        Enumerable.Range(0, Names.Length).Select(_ => -3 + 6 * rng.NextDouble()).ToArray();

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
