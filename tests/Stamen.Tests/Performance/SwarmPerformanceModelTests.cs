using Stamen.Performance;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Performance;

public class SwarmPerformanceModelTests
{
    [Fact]
    public void Time_TwoHops_EqualsReferenceFormula()
    {
        var swarm = TestSwarms.Build(TestSwarms.Bloom(), [TestSwarms.A100Server("a"), TestSwarms.A100Server("b")], new double[,] { { 10, 30 } });
        var model = new SwarmPerformanceModel(swarm);
        var route = new Route([new RouteHop(0, 0, 40), new RouteHop(1, 40, 70)]);
        var shape = new RequestShape(20, 64);

        var t = model.Time(route, 0, shape);

        // sum_j RTT_in(c,j) + k_j tau_in(l_in), then (l_max - 1) * sum_j RTT(c,j) + k_j tau.
        var first = (10 + 67 + 0.7049 * 20 + 40 * (0.0743 * 20 + 32.99)) + (30 + 67 + 0.7049 * 20 + 30 * (0.0743 * 20 + 32.99));
        var perToken = (10 + 100 + 40 * 3.2197) + (30 + 100 + 30 * 3.2197);
        Assert.Equal(first, t.FirstTokenMs, 9);
        Assert.Equal(perToken, t.PerTokenMs, 9);
        Assert.Equal((first + 63 * perToken) / 64, t.AverageMsPerToken, 9);
    }

    [Fact]
    public void SessionCache_Bloom_IsTwoTimesHiddenTimesTokensTimesTwoBytes()
    {
        var model = TestSwarms.Bloom();
        Assert.Equal(2.0 * 14336 * (20 + 64) * 2, model.SessionCacheBytesPerBlock(20, 64));
        Assert.InRange(model.BlockBytes, 1.32e9, 1.33e9);
    }
}
