using MathNet.Numerics.LinearAlgebra;
using Stamen.Network;

namespace Stamen.Reporting.Swarm;

/// <summary>Where a topology's nodes go on a map, and whether that is geography or a picture of round trips.</summary>
/// <param name="LatitudeDeg">Per node, in topology order.</param>
/// <param name="LongitudeDeg">Per node, in topology order.</param>
/// <param name="FromRoundTrips">True when the positions were derived from the RTT matrix (classical MDS), not read from the topology.</param>
public sealed record NodePositions(IReadOnlyList<double> LatitudeDeg, IReadOnlyList<double> LongitudeDeg, bool FromRoundTrips)
{
    /// <summary>Largest topology placed by MDS: its eigen-decomposition is O(n³), and a map of thousands of unnamed points tells little.</summary>
    public const int MaxDerivedNodes = 400;

    /// <summary>
    /// A fibre round trip of 1 ms covers about 100 km of path (light in glass, there and back), about 0.9° of latitude:
    /// the scale that turns MDS distances in ms into degrees, so a derived map reads like a geographic one.
    /// </summary>
    private const double DegreesPerRttMs = 0.9;

    /// <summary>
    /// The topology's own coordinates when every node has them; otherwise positions whose distances approximate the round
    /// trips (classical MDS), or null for a topology too large to place that way.
    /// </summary>
    public static NodePositions? Of(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var nodes = topology.Nodes;
        if (nodes.All(n => n.LatitudeDeg is not null && n.LongitudeDeg is not null))
            return new NodePositions([.. nodes.Select(n => n.LatitudeDeg!.Value)], [.. nodes.Select(n => n.LongitudeDeg!.Value)], false);
        if (topology.Count > MaxDerivedNodes) return null;
        return FromRoundTripMatrix(topology);
    }

    /// <summary>
    /// Classical multidimensional scaling: double-centre the squared RTTs, take the two largest eigenpairs. Signs are fixed
    /// (first non-zero coordinate positive) so the same matrix always gives the same picture.
    /// </summary>
    private static NodePositions FromRoundTripMatrix(Topology topology)
    {
        var n = topology.Count;
        if (n == 1) return new NodePositions([0.0], [0.0], true);
        var squared = Matrix<double>.Build.Dense(n, n, (a, b) => topology.RttMs(a, b) * topology.RttMs(a, b));
        var centring = Matrix<double>.Build.DenseIdentity(n) - Matrix<double>.Build.Dense(n, n, 1.0 / n);
        var gram = -0.5 * centring * squared * centring;
        gram = 0.5 * (gram + gram.Transpose());
        var evd = gram.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, n).OrderByDescending(i => evd.EigenValues[i].Real).ThenBy(i => i).ToArray();
        var axes = new double[2][];
        for (var d = 0; d < 2; d++)
        {
            var lambda = Math.Max(0, evd.EigenValues[order[d]].Real);
            var vector = evd.EigenVectors.Column(order[d]);
            var sign = 1.0;
            for (var i = 0; i < n; i++)
                if (Math.Abs(vector[i]) > 1e-12) { sign = Math.Sign(vector[i]); break; }
            axes[d] = [.. Enumerable.Range(0, n).Select(i => sign * vector[i] * Math.Sqrt(lambda))];
        }
        var extent = axes.SelectMany(a => a).Select(Math.Abs).DefaultIfEmpty(0).Max();
        var scale = extent * DegreesPerRttMs > 80 ? 80 / extent : DegreesPerRttMs;
        return new NodePositions([.. axes[1].Select(v => v * scale)], [.. axes[0].Select(v => v * scale)], true);
    }
}
