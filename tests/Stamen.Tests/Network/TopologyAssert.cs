using Stamen.Network;

namespace Stamen.Tests.Network;

/// <summary>Invariants every propagation RTT matrix from a shortest-path or geometric model must satisfy.</summary>
internal static class TopologyAssert
{
    /// <param name="distinctNodesApart">Whether distinct nodes must have a positive RTT (false where PoPs may share a place).</param>
    public static void IsMetric(Topology t, double toleranceMs = 1e-9, bool distinctNodesApart = true)
    {
        var n = t.Count;
        for (var a = 0; a < n; a++)
        {
            Assert.Equal(0, t.RttMs(a, a));
            for (var b = 0; b < n; b++)
            {
                Assert.Equal(t.RttMs(a, b), t.RttMs(b, a));
                if (a != b && distinctNodesApart) Assert.True(t.RttMs(a, b) > 0, $"RTT {t.Nodes[a].Name}-{t.Nodes[b].Name} is not positive");
                for (var c = 0; c < n; c++)
                    Assert.True(t.RttMs(a, c) <= t.RttMs(a, b) + t.RttMs(b, c) + toleranceMs,
                        $"triangle inequality fails for {t.Nodes[a].Name}, {t.Nodes[b].Name}, {t.Nodes[c].Name}");
            }
        }
    }
}
