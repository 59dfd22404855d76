using Stamen.Plans;
using Stamen.Routing;

namespace Stamen.Tests.Routing;

public sealed class ChainSearchTests
{
    [Fact]
    public void Cheapest_WithLowerBounds_SameRouteAndCostAsPricingEveryLink()
    {
        // Random placements with whole-number costs, so equal costs (and the tie rules) come up; each link is its bound
        // plus a non-negative extra, as a server's penalty is.
        var rng = new Random(5);
        var skipped = 0;
        for (var trial = 0; trial < 1500; trial++)
        {
            var blocks = rng.Next(1, 12);
            var spans = Enumerable.Range(0, rng.Next(1, 10)).Select(_ =>
            {
                var start = rng.Next(0, blocks);
                return new BlockSpan(start, rng.Next(1, blocks - start + 1));
            }).ToList();
            var placement = new BlockPlacement(blocks, spans, [.. spans.Select(_ => new CacheBudget(0, false))]);
            var bound = new double[spans.Count, blocks + 1];
            var extra = new double[spans.Count, blocks + 1];
            for (var j = 0; j < spans.Count; j++)
                for (var p = 0; p <= blocks; p++)
                {
                    bound[j, p] = rng.Next(0, 3);
                    extra[j, p] = rng.Next(4) == 0 ? rng.Next(0, 8) : 0;
                }
            var banned = rng.Next(spans.Count + 1);
            var links = new BoundedLinks(bound, extra, banned);

            var plain = ChainSearch.Cheapest(placement, (j, p, _) => bound[j, p] + extra[j, p], j => j != banned);
            var bounded = ChainSearch.Cheapest(placement, ref links);

            Assert.Equal(plain.CostMs, bounded.CostMs);
            Assert.Equal(plain.Route?.Hops, bounded.Route?.Hops);
            skipped += links.Bounds - links.PricedAfterBound;
        }
        Assert.True(skipped > 100, $"only {skipped} links went unpriced: the bound was never used");
    }

    private struct BoundedLinks(double[,] bound, double[,] extra, int banned) : IChainLinks
    {
        private bool _bounded;

        public int Bounds { get; private set; }
        public int PricedAfterBound { get; private set; }

        public readonly bool HasLowerBound => true;
        public readonly bool Usable(int server) => server != banned;

        public double LowerBoundMs(int server, int start, int end)
        {
            Bounds++;
            _bounded = true;
            return bound[server, start];
        }

        public double LinkMs(int server, int start, int end)
        {
            if (_bounded) PricedAfterBound++;
            _bounded = false;
            return bound[server, start] + extra[server, start];
        }
    }
}
