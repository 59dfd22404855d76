using FsCheck;
using FsCheck.Fluent;
using Stamen.Reporting;

namespace Stamen.Tests.Reporting;

public sealed class CdfTests
{
    [Fact]
    public void Of_AnyValues_IsNonDecreasingAndEndsAtOne()
    {
        Prop.ForAll<double[]>(values =>
        {
            var finite = values.Where(double.IsFinite).ToArray();
            var cdf = Cdf.Of("s", finite);
            if (finite.Length == 0) return cdf.X.Count == 0;
            var ordered = cdf.X.Zip(cdf.X.Skip(1)).All(p => p.First < p.Second) && cdf.Y.Zip(cdf.Y.Skip(1)).All(p => p.First <= p.Second);
            return ordered && cdf.Y[^1] == 1 && cdf.Y[0] > 0 && cdf.X[0] == finite.Min() && cdf.X[^1] == finite.Max()
                && cdf.X.Count <= Cdf.MaxPoints && cdf.Step;
        }).Check(Config.QuickThrowOnFailure);
    }

    [Fact]
    public void Of_TiedValues_StepsOncePerDistinctValue()
    {
        var cdf = Cdf.Of("s", [2.0, 1.0, 2.0, 3.0]);
        Assert.Equal([1.0, 2.0, 3.0], cdf.X);
        Assert.Equal([0.25, 0.75, 1.0], cdf.Y);
    }

    [Fact]
    public void Downsample_LongSeries_KeepsEndsExtremesAndAtMostTheCap()
    {
        Prop.ForAll(Gen.Choose(5, 3000).ToArbitrary(), Gen.Choose(4, 300).ToArbitrary(), (n, cap) =>
        {
            var x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            var y = x.Select(v => Math.Sin(v * 0.37) * (1 + v % 7)).ToArray();
            var (dx, dy) = Cdf.Downsample(x, y, cap);
            var keptPairs = dx.Zip(dy).All(p => y[(int)p.First] == p.Second);
            return dx.Count <= cap && (n > cap || dx.Count == n) && dx[0] == 0 && dx[^1] == n - 1
                && dy.Contains(y.Max()) && dy.Contains(y.Min()) && dx.Zip(dx.Skip(1)).All(p => p.First < p.Second) && keptPairs;
        }).Check(Config.QuickThrowOnFailure);
    }

    [Fact]
    public void Downsample_ShortSeries_ComesBackUnchanged()
    {
        var (x, y) = Cdf.Downsample([1.0, 2.0, 3.0], [5.0, 4.0, 6.0], 10);
        Assert.Equal([1.0, 2.0, 3.0], x);
        Assert.Equal([5.0, 4.0, 6.0], y);
    }
}
