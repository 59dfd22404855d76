using FsCheck;
using FsCheck.Fluent;
using Stamen.Reporting;
using Stamen.Reporting.Svg;

namespace Stamen.Tests.Reporting;

public sealed class NiceTicksTests
{
    /// <summary>A random range from 1e-6 to 1e8 wide, anywhere from -1e9 to 1e9, never narrower than a millionth of its magnitude.</summary>
    private static (double Min, double Max) RandomRange(int seed)
    {
        var rng = new Random(seed);
        var min = (rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-6, 10));
        var width = Math.Max(Math.Pow(10, rng.NextDouble() * 14 - 6), Math.Abs(min) * 1e-6);
        return (min, min + width);
    }

    [Fact]
    public void Linear_AnyRange_TwoToTenEvenlySpacedOneTwoFiveTicksWithinIt()
    {
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var (min, max) = RandomRange(seed);
            var step = NiceTicks.Step(min, max);
            var ticks = NiceTicks.Linear(min, max);

            Assert.True(step.Mantissa is 1 or 2 or 5, $"mantissa {step.Mantissa}");
            Assert.InRange(ticks.Count, 2, 10);
            var slack = step.Value * 1e-6;
            Assert.All(ticks, t => Assert.InRange(t, min - slack, max + slack));
            for (var i = 1; i < ticks.Count; i++) Assert.Equal(step.Value, ticks[i] - ticks[i - 1], step.Value * 1e-6);
            Assert.All(ticks, t => Assert.Equal(Math.Round(t / step.Value), t / step.Value, 1e-6));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void Fit_AnyData_DomainHoldsEveryValueAndMapsOntoThePixelRange()
    {
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var (min, max) = RandomRange(seed);
            var values = new[] { min, (min + max) / 2, max };

            var map = AxisMap.Fit(new Axis("x", null), values, 0, 600);

            Assert.True(map.Min <= min && map.Max >= max, $"[{map.Min}, {map.Max}] holds [{min}, {max}]");
            Assert.InRange(map.Ticks.Count, 2, 10);
            Assert.Equal(0, map.Map(map.Min), 6);
            Assert.Equal(600, map.Map(map.Max), 6);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Theory]
    [InlineData(0.0, 1.0, new[] { 0, 0.2, 0.4, 0.6, 0.8, 1 })]
    [InlineData(3.0, 97.0, new[] { 20.0, 40, 60, 80 })]
    [InlineData(0.0, 70.0, new[] { 0.0, 20, 40, 60 })]
    [InlineData(-1.0, 1.0, new[] { -1, -0.5, 0, 0.5, 1 })]
    public void Linear_KnownRanges_GivesTheTicksAPersonWouldDraw(double min, double max, double[] expected) =>
        Assert.Equal(expected, NiceTicks.Linear(min, max), (a, b) => Math.Abs(a - b) < 1e-12);

    [Fact]
    public void Log_SeveralDecades_GivesThePowersOfTenWithin() =>
        Assert.Equal([1.0, 10, 100, 1000], NiceTicks.Log(0.5, 2000));

    [Fact]
    public void Log_WithinOneDecade_FallsBackToOneTwoFive() =>
        Assert.Equal([2.0, 5], NiceTicks.Log(1.5, 8));

    [Fact]
    public void Fit_LogAxis_WidensToWholeDecadesAndSkipsNonPositiveValues()
    {
        var map = AxisMap.Fit(new Axis("latency", "s", AxisScale.Log), [0, -3, 0.02, 35, double.NaN], 0, 100);

        Assert.Equal(0.01, map.Min, 12);
        Assert.Equal(100, map.Max, 12);
        Assert.Equal(["0.01", "0.1", "1", "10", "100"], map.Ticks.Select(map.Label));
    }

    [Theory]
    [InlineData(2500.0, new[] { 0.0, 2500, 5000, 7500, 10000 }, "2.5k")]
    [InlineData(20000.0, new[] { 0.0, 20000, 40000 }, "20k")]
    [InlineData(0.3, new[] { 0.0, 0.1, 0.2, 0.3 }, "0.3")]
    [InlineData(0.0, new[] { -0.5, 0.0, 0.5 }, "0")]
    [InlineData(3e9, new[] { 0.0, 1e9, 2e9, 3e9 }, "3G")]
    public void Label_Tick_HasOnlyTheDecimalsTheSpacingNeeds(double value, double[] ticks, string expected) =>
        Assert.Equal(expected, NiceTicks.Label(value, ticks));

    [Fact]
    public void Title_AxisWithUnit_ReadsLabelThenUnitInParentheses()
    {
        Assert.Equal("First-token latency (s)", AxisMap.Title(new Axis("First-token latency", "s")));
        Assert.Equal("Method", AxisMap.Title(new Axis("Method", null)));
        Assert.Equal("GPUs", AxisMap.Title(new Axis("GPUs", "GPUs")));
        Assert.Equal("fraction of requests", AxisMap.Title(new Axis("fraction of requests", "fraction")));
        Assert.Equal("requests waiting", AxisMap.Title(new Axis("requests waiting", "requests")));
    }
}
