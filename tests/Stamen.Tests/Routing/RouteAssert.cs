using Stamen.Plans;
using Stamen.Routing;

namespace Stamen.Tests.Routing;

/// <summary>Route invariants every router must keep.</summary>
internal static class RouteAssert
{
    /// <summary>
    /// The route covers blocks 0..L exactly once, in order: the first hop starts at 0, each hop
    /// starts where the previous ended inside the server's span (a_j &lt;= start &lt; a_j + m_j),
    /// runs to the end of that span, and the last ends at L.
    /// </summary>
    public static void ValidChain(Route route, BlockPlacement placement)
    {
        Assert.NotEmpty(route.Hops);
        var expectedStart = 0;
        foreach (var hop in route.Hops)
        {
            var span = placement.Spans[hop.Server];
            Assert.Equal(expectedStart, hop.StartBlock);
            Assert.True(span.Contains(hop.StartBlock), $"{route}: s{hop.Server} holds [{span.Start},{span.End}) but starts at {hop.StartBlock}");
            Assert.Equal(span.End, hop.EndBlock);
            Assert.True(hop.Blocks > 0);
            expectedStart = hop.EndBlock;
        }
        Assert.Equal(placement.NumBlocks, expectedStart);
    }
}
