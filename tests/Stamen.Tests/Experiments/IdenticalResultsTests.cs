using Stamen.Experiments;
using Stamen.Simulation.Metrics;
using Stamen.Tests.Cli;

namespace Stamen.Tests.Experiments;

/// <summary>Algorithms whose results repeat another's are named, so a reader knows why a chart line seems missing (issue 17).</summary>
public sealed class IdenticalResultsTests
{
    private static AlgorithmResult Result(string name, double perToken, double halfWidth = 0.01) =>
        new(name, "p", "r", "a", 3, [new("mean_time_per_token_ms", new MeanWithCi(perToken, halfWidth, 3)), new("failed", new MeanWithCi(0, 0, 3))], []);

    [Fact]
    public void Identical_NamesEachRepeatAndTheFirstAlgorithmItRepeats()
    {
        var result = new ComparisonResult("s", 3, 1, false,
            [Result("a", 500), Result("b", 520), Result("c", 500), Result("d", 500, halfWidth: 0.02), Result("e", 520)]);

        Assert.Equal([("c", "a"), ("e", "b")], result.Identical());
    }

    [Fact]
    public void DefaultCompare_SaysWhichAlgorithmRepeatsAnother()
    {
        var run = CliHarness.Run("compare", "--runs", "2", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("milp gives exactly cg-bprr's results in every metric", run.Out, StringComparison.Ordinal);
    }
}
