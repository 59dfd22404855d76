using System.Collections.Immutable;
using Stamen.Optimization.Nsga2;

namespace Stamen.Tests.Optimization;

/// <summary>
/// ZDT1 and ZDT2 (Zitzler, Deb and Thiele 2000): n variables in [0, 1], f1 = x1,
/// g = 1 + 9 sum(x2..xn) / (n - 1), f2 = g h(f1 / g); the true front has g = 1, f2 = h(f1).
/// </summary>
internal sealed class Zdt(int variables, Func<double, double> h) : INsga2Problem<ImmutableArray<double>>
{
    public static Zdt Zdt1(int variables) => new(variables, r => 1 - Math.Sqrt(r));

    public static Zdt Zdt2(int variables) => new(variables, r => 1 - (r * r));

    public RealBounds Bounds { get; } = RealBounds.Uniform(variables, 0, 1);

    /// <summary>f2 on the true front as a function of f1.</summary>
    public Func<double, double> TrueFront => h;

    public int ObjectiveCount => 2;

    public ImmutableArray<double> Random(Random random) => Bounds.Sample(random);

    public Evaluation Evaluate(ImmutableArray<double> genome)
    {
        var f1 = genome[0];
        var g = 1 + (9 * genome.Skip(1).Sum() / (genome.Length - 1));
        return new Evaluation([f1, g * h(f1 / g)]);
    }
}
