using Stamen.Network;

namespace Stamen.Tests.Network;

public class RttDistanceFitTests
{
    [Fact]
    public void Fit_PointsOnALine_RecoversIt()
    {
        var samples = Enumerable.Range(0, 10).Select(i => (Km: 100.0 * i, RttMs: 4 + 0.02 * 100 * i)).ToList();

        var fit = RttDistanceFit.Fit(samples);

        Assert.Equal(4, fit.InterceptMs, 9);
        Assert.Equal(0.02, fit.MsPerKm, 12);
        Assert.Equal(1, fit.RSquared, 9);
    }

    [Fact]
    public void Fit_RipeAtlasFrankfurt_AgreesWithClosedFormLeastSquaresAndIsPlausible()
    {
        var path = RepositoryData.PathTo("rtt/ripe_atlas_eu_rtt.csv");
        var rows = RipeAtlasRttFitter.Read(path);

        var fit = RipeAtlasRttFitter.Fit(path);

        var vantage = rows.MinBy(r => r.RttMs);
        var x = rows.Select(r => GreatCircle.DistanceKm(vantage.LatDeg, vantage.LonDeg, r.LatDeg, r.LonDeg)).ToArray();
        var y = rows.Select(r => r.RttMs).ToArray();
        double mx = x.Average(), my = y.Average();
        var slope = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / x.Sum(a => (a - mx) * (a - mx));
        Assert.Equal(3867, fit.Samples);
        Assert.Equal(slope, fit.MsPerKm, 9);
        Assert.Equal(my - slope * mx, fit.InterceptMs, 6);
        // Slope between straight fibre (2 / 204.19 = 0.0098 ms/km) and a route factor of 3.
        Assert.InRange(fit.MsPerKm, 2 / 204.19, 3 * 2 / 204.19);
        Assert.InRange(fit.InterceptMs, 0, 20);
    }

    [Fact]
    public void Fit_UnknownColumn_NamesIt()
    {
        var e = Assert.Throws<StamenInputException>(() => RipeAtlasRttFitter.Fit(RepositoryData.PathTo("rtt/ripe_atlas_eu_rtt.csv"), "latency_m9"));

        Assert.Contains("latency_m9", e.Problem, StringComparison.Ordinal);
    }
}
