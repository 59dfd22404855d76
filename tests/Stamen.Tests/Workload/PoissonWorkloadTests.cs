using Stamen.Workload;

namespace Stamen.Tests.Workload;

public sealed class PoissonWorkloadTests
{
    private static readonly int[] OutputChoices = [32, 64, 256];

    private static PoissonWorkload Make(double rate, int requests, IReadOnlyList<double>? weights = null) =>
        new(rate, requests, new UniformTokenCount(16, 128), new ChoiceTokenCount(OutputChoices), weights ?? [1.0]);

    [Fact]
    public void Generate_SameSeed_SameList_DifferentSeed_DifferentArrivals()
    {
        var w = Make(0.5, 200);
        Assert.Equal(w.Generate(7), w.Generate(7));
        Assert.NotEqual(w.Generate(7).Select(r => r.ArrivalMs), w.Generate(8).Select(r => r.ArrivalMs));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(2.0)]
    public void Generate_ManyRequests_MeanGapIsOneOverRate(double rate)
    {
        const int n = 20_000;
        var list = Make(rate, n).Generate(11);
        Assert.Equal(n, list.Count);
        Assert.Equal(Enumerable.Range(0, n), list.Select(r => r.Id));
        Assert.True(list[0].ArrivalMs > 0, "the first arrival comes after the first gap");
        Assert.True(list.Zip(list.Skip(1)).All(p => p.Second.ArrivalMs > p.First.ArrivalMs), "arrivals not strictly increasing");
        // Mean gap = last arrival / n; its standard error is 1/(rate sqrt n) = 0.7%, so 3% is over 4 sigma.
        var meanGapMs = list[^1].ArrivalMs / n;
        Assert.InRange(meanGapMs, 0.97 * 1000 / rate, 1.03 * 1000 / rate);
        // Exponential gaps: the standard deviation equals the mean.
        var gaps = list.Zip(list.Skip(1)).Select(p => p.Second.ArrivalMs - p.First.ArrivalMs).ToList();
        var mean = gaps.Average();
        var sd = Math.Sqrt(gaps.Select(g => (g - mean) * (g - mean)).Average());
        Assert.InRange(sd / mean, 0.95, 1.05);
    }

    [Fact]
    public void Generate_Lengths_StayWithinTheirDistributions()
    {
        var list = Make(1, 5_000).Generate(3);
        Assert.All(list, r => Assert.InRange(r.Shape.PromptTokens, 16, 128));
        Assert.All(list, r => Assert.Contains(r.Shape.OutputTokens, OutputChoices));
        // Both ends of the uniform range and every choice actually occur.
        Assert.Contains(list, r => r.Shape.PromptTokens == 16);
        Assert.Contains(list, r => r.Shape.PromptTokens == 128);
        Assert.Equal([32, 64, 256], list.Select(r => r.Shape.OutputTokens).Distinct().Order());
        Assert.InRange(list.Average(r => r.Shape.PromptTokens), 72 - 2, 72 + 2);
    }

    [Fact]
    public void Generate_Clients_FollowTheirWeights()
    {
        var list = Make(1, 10_000, [1.0, 3.0]).Generate(5);
        var share = list.Count(r => r.ClientIndex == 1) / (double)list.Count;
        Assert.All(list, r => Assert.InRange(r.ClientIndex, 0, 1));
        Assert.InRange(share, 0.73, 0.77);
    }

    [Fact]
    public void Generate_ChangingLengths_DoesNotMoveArrivals()
    {
        var a = Make(0.5, 100).Generate(9);
        var b = new PoissonWorkload(0.5, 100, new FixedTokenCount(20), new FixedTokenCount(64), [1.0]).Generate(9);
        Assert.Equal(a.Select(r => r.ArrivalMs), b.Select(r => r.ArrivalMs));
    }
}
