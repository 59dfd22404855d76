using Stamen.Plans;

namespace Stamen.Helix;

/// <summary>Settings of <see cref="FlowLocalSearch"/>.</summary>
/// <param name="Iterations">Moves tried (each costs one max flow, well under a millisecond on 42 nodes).</param>
/// <param name="Seed">Seed of the move choices: same seed, same placement.</param>
public sealed record FlowLocalSearchOptions(int Iterations = 20_000, int Seed = 1)
{
    /// <summary>Most moves a search may be asked for, so no input can ask for unbounded work.</summary>
    public const int MaxIterations = 10_000_000;
}

/// <summary>
/// A max-flow-scored local search over placements (our own, for clusters where Helix's MILP does not
/// finish): from a start placement, repeatedly change one node's span (shift it, grow or shrink it,
/// align it to start where another node's span ends, or empty it), scored by the placement's static
/// max flow (<see cref="PlacementMaxFlow"/>). A max flow is set by its narrowest cut, which one node's
/// move rarely widens without narrowing another, so worse placements are accepted with probability
/// exp(-drop / temperature) (simulated annealing, the temperature falling linearly from 10% of the start's
/// flow to 0); the best placement seen is returned, never one worse than the start.
/// </summary>
public static class FlowLocalSearch
{
    public static (IReadOnlyList<BlockSpan> Spans, double TokensPerSec) Improve(IReadOnlyList<BlockSpan> start, int layers, HelixThroughputs throughputs,
        FlowLocalSearchOptions? options = null, IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(throughputs);
        options ??= new FlowLocalSearchOptions();
        if (options.Iterations is < 0 or > FlowLocalSearchOptions.MaxIterations)
            throw new StamenInputException("(options)", "iterations", $"must be in 0..{FlowLocalSearchOptions.MaxIterations}", "give e.g. 20000");
        var n = start.Count;
        var most = Enumerable.Range(0, n).Select(i => MostLayers(throughputs, i, layers)).ToArray();
        var current = start.ToArray();
        ArgumentOutOfRangeException.ThrowIfZero(n);
        var currentFlow = PlacementMaxFlow.Compute(current, layers, throughputs).TokensPerSec;
        var best = (Spans: (BlockSpan[])current.Clone(), Flow: currentFlow);
        var rng = new Random(options.Seed);
        var hot = Math.Max(1, 0.1 * currentFlow);
        for (var it = 0; it < options.Iterations; it++)
        {
            if (it % 1000 == 0) progress?.Report(new ExperimentProgress(it, options.Iterations));
            var temperature = hot * (1 - (double)it / Math.Max(1, options.Iterations));
            var candidate = (BlockSpan[])current.Clone();
            if (rng.Next(3) == 0)
            {
                if (!ShiftBoundary(candidate, most, layers, rng)) continue;
            }
            else
            {
                var i = rng.Next(n);
                if (most[i] == 0) continue;
                var moved = Move(current, i, most[i], layers, rng);
                if (moved == current[i]) continue;
                candidate[i] = moved;
            }
            var flow = PlacementMaxFlow.Compute(candidate, layers, throughputs).TokensPerSec;
            var drop = currentFlow - flow;
            if (drop > 1e-9 && (temperature <= 0 || rng.NextDouble() >= Math.Exp(-drop / temperature))) continue;
            current = candidate;
            currentFlow = flow;
            if (flow > best.Flow + 1e-9) best = ((BlockSpan[])current.Clone(), flow);
        }
        progress?.Report(new ExperimentProgress(options.Iterations, options.Iterations));
        return (best.Spans, best.Flow);
    }

    /// <summary>
    /// Moves one boundary b (0 &lt; b &lt; L) that spans meet at by -2..2 layers for every span that ends or starts
    /// there at once, so the chains through it stay whole; false when no boundary can move.
    /// </summary>
    private static bool ShiftBoundary(BlockSpan[] spans, int[] most, int layers, Random rng)
    {
        var inner = spans.Where(x => !x.IsEmpty).SelectMany(x => (int[])[x.Start, x.End]).Where(b => b > 0 && b < layers).Distinct().Order().ToArray();
        if (inner.Length == 0) return false;
        var b = inner[rng.Next(inner.Length)];
        var d = rng.Next(2) == 0 ? -(1 + rng.Next(2)) : 1 + rng.Next(2);
        var to = b + d;
        if (to <= 0 || to >= layers) return false;
        for (var i = 0; i < spans.Length; i++)
        {
            var x = spans[i];
            if (x.IsEmpty) continue;
            if (x.End == b) x = new BlockSpan(x.Start, to - x.Start);
            if (x.Start == b) x = new BlockSpan(to, x.End - to);
            if (x.Count < 1 || x.Count > most[i]) return false;
            spans[i] = x;
        }
        return true;
    }

    /// <summary>One random change of node <paramref name="i"/>'s span, within the layers its throughput table covers.</summary>
    private static BlockSpan Move(BlockSpan[] spans, int i, int most, int layers, Random rng)
    {
        var span = spans[i];
        switch (rng.Next(6))
        {
            case 0 when !span.IsEmpty: // shift
                return Clamp(span.Start + (rng.Next(2) == 0 ? -1 : 1) * (1 + rng.Next(3)), span.Count, layers);
            case 1 when !span.IsEmpty: // grow or shrink at the end
            {
                var count = Math.Clamp(span.Count + (rng.Next(2) == 0 ? -1 : 1), 1, most);
                return Clamp(span.Start, count, layers);
            }
            case 2 when !span.IsEmpty: // grow or shrink at the start
            {
                var count = Math.Clamp(span.Count + (rng.Next(2) == 0 ? -1 : 1), 1, most);
                return Clamp(span.End - count, count, layers);
            }
            case 3 or 4: // span between two boundaries other spans already use, so the node joins existing chains
            {
                var boundaries = spans.Where(x => !x.IsEmpty).SelectMany(x => (int[])[x.Start, x.End]).Append(0).Append(layers).Distinct().Order().ToArray();
                var from = boundaries[rng.Next(boundaries.Length)];
                var reachable = boundaries.Where(b => b > from && b - from <= most).ToArray();
                return reachable.Length == 0 ? Clamp(from, 1 + rng.Next(most), layers) : new BlockSpan(from, reachable[rng.Next(reachable.Length)] - from);
            }
            default: // empty it, or fill an empty node
                return span.IsEmpty ? Clamp(rng.Next(layers), 1 + rng.Next(most), layers) : BlockSpan.None;
        }
    }

    private static BlockSpan Clamp(int start, int count, int layers)
    {
        count = Math.Clamp(count, 1, layers);
        return new BlockSpan(Math.Clamp(start, 0, layers - count), count);
    }

    /// <summary>The most layers node i's table covers (0: it cannot hold any).</summary>
    /// <summary>Most layers a node's throughput table covers (Helix: weights in at most half its memory), at most the model's.</summary>
    internal static int MostLayers(HelixThroughputs throughputs, int node, int layers)
    {
        var k = 0;
        while (k < layers && throughputs.NodeTokensPerSec(node, k + 1) is not null) k++;
        return k;
    }
}
