using Stamen.Placement;

namespace Stamen.Tests.Placement;

public class PetalsBlockSelectionTests
{
    [Fact]
    public void BestStart_WindowWithWeakestSortedThroughputs_Wins()
    {
        // Windows of 2: [5,1] -> (1,5); [1,1] -> (1,1); [1,3] -> (1,3); [3,0] -> (0,3): the gap wins.
        Assert.Equal(3, PetalsBlockSelection.BestStart([5, 1, 1, 3, 0], 2));
        // Ties go to the smallest start.
        Assert.Equal(0, PetalsBlockSelection.BestStart([0, 0, 0, 0], 2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void BestStart_RandomThroughputsWithManyTies_AgreesWithFullScan(int seed)
    {
        // BestStart sorts only the windows sharing the smallest minimum; the full scan sorts every
        // window (the original implementation). Few distinct values make ties, including ties of
        // the minimum between windows that differ later, the case the shortcut must get right.
        var rng = new Random(seed);
        for (var trial = 0; trial < 2_000; trial++)
        {
            var blocks = rng.Next(1, 40);
            var distinct = rng.Next(1, 5);
            var values = Enumerable.Range(0, distinct).Select(_ => rng.NextDouble() * 100 - 10).ToArray();
            var throughputs = Enumerable.Range(0, blocks).Select(_ => values[rng.Next(distinct)]).ToArray();
            var length = rng.Next(1, blocks + 3);

            Assert.Equal(FullScanBestStart(throughputs, length), PetalsBlockSelection.BestStart(throughputs, length));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-9)]
    [InlineData(1e-3)]
    public void BestStart_NearTiesWithinTheTolerance_AgreesWithSortingEveryCandidate(double tolerance)
    {
        // Throughputs from a few values, each nudged by a fraction of the tolerance or by more, so windows tie within the
        // tolerance, tie exactly, or differ just beyond it: the shortcut must fall back to sorting exactly when needed.
        var rng = new Random(17);
        var decided = 0;
        for (var trial = 0; trial < 6_000; trial++)
        {
            var blocks = rng.Next(1, 90);
            var distinct = rng.Next(1, 6);
            var values = Enumerable.Range(0, distinct).Select(_ => rng.NextDouble() * 1000 - 1).ToArray();
            var throughputs = Enumerable.Range(0, blocks).Select(_ =>
            {
                var v = values[rng.Next(distinct)];
                return rng.Next(3) switch { 0 => v, 1 => v * (1 + tolerance * rng.NextDouble()), _ => v * (1 + 3 * tolerance * rng.NextDouble()) };
            }).ToArray();
            var length = rng.Next(1, blocks + 2);
            var expected = SortingBestStart(throughputs, length, tolerance);
            Assert.Equal(expected, PetalsBlockSelection.BestStart(throughputs, length, tolerance));
            if (expected > 0) decided++;
        }
        Assert.True(decided > 1_000, $"only {decided} trials chose a start other than 0");
    }

    /// <summary>The previous BestStart: every window whose minimum ties the smallest is sorted and compared within the tolerance.</summary>
    private static int SortingBestStart(double[] t, int length, double tolerance)
    {
        static int Compare(double a, double b, double tol) =>
            a == b || Math.Abs(a - b) <= tol * Math.Max(Math.Abs(a), Math.Abs(b)) ? 0 : a < b ? -1 : 1;
        var windows = t.Length - length + 1;
        if (windows <= 1) return 0;
        var minima = Enumerable.Range(0, windows).Select(s => t.Skip(s).Take(length).Min()).ToArray();
        var lowest = minima.Min();
        var best = -1;
        double[]? bestKey = null;
        for (var s = 0; s < windows; s++)
        {
            if (Compare(minima[s], lowest, tolerance) != 0) continue;
            var key = t[s..(s + length)];
            Array.Sort(key);
            if (bestKey is null || key.Zip(bestKey).Select(p => Compare(p.First, p.Second, tolerance)).FirstOrDefault(c => c != 0) < 0)
            {
                best = s;
                bestKey = key;
            }
        }
        return best;
    }

    private static int FullScanBestStart(double[] throughputs, int length)
    {
        var best = 0;
        double[]? bestKey = null;
        for (var start = 0; start + length <= throughputs.Length; start++)
        {
            var key = throughputs[start..(start + length)];
            Array.Sort(key);
            if (bestKey is null || key.Zip(bestKey).Select(p => p.First.CompareTo(p.Second)).FirstOrDefault(c => c != 0) < 0)
            {
                best = start;
                bestKey = key;
            }
        }
        return best;
    }

    [Fact]
    public void ShouldChooseOtherBlocks_ThreeServersStackedOnOneHalf_Moves()
    {
        // L = 8, four equal servers of 4 blocks: three on [0,4), one on [4,8): min 10 rps, balanced min 20 rps.
        var selection = Stacked(starts: [0, 0, 0, 4]);

        Assert.True(selection.ShouldChooseOtherBlocks(0, 0.75, new Random(1), 100));
    }

    [Fact]
    public void ShouldChooseOtherBlocks_Balanced_StaysForEveryServer()
    {
        var selection = Stacked(starts: [0, 4, 0, 4]);

        for (var j = 0; j < 4; j++)
            Assert.False(selection.ShouldChooseOtherBlocks(j, 0.75, new Random(j), 100));
    }

    [Fact]
    public void ShouldChooseOtherBlocks_GainBelowQuality_Stays()
    {
        // Improving the minimum from 10 to 20 gives old/new = 0.5: with quality 0.4 that is not enough.
        var selection = Stacked(starts: [0, 0, 0, 4]);

        Assert.False(selection.ShouldChooseOtherBlocks(0, 0.4, new Random(1), 100));
    }

    [Fact]
    public void NobodyCanGain_WhenTrue_NoServerWantsToMove()
    {
        // Random swarms, random starts: wherever the bound says nobody can gain, every server's simulation says no.
        // Guards: the bound held on some swarms, and on others (where it did not) some server did want to move.
        var rng = new Random(23);
        int held = 0, wanted = 0;
        for (var trial = 0; trial < 400; trial++)
        {
            var blocks = rng.Next(4, 20);
            var n = rng.Next(2, 12);
            var lengths = Enumerable.Range(0, n).Select(_ => rng.Next(1, blocks + 1)).ToArray();
            var rates = Enumerable.Range(0, n).Select(_ => 1 + rng.Next(4) * rng.NextDouble() * 10).ToArray();
            var selection = new PetalsBlockSelection(blocks, lengths, rates, 1e-9);
            // Half the swarms join as PETALS does (each server at its best start: mostly balanced), half at random.
            var greedy = trial % 2 == 0;
            for (var j = 0; j < n; j++)
                selection.Join(j, greedy ? selection.BestStart(selection.BlockThroughputs(), lengths[j]) : rng.Next(blocks - lengths[j] + 1));
            if (selection.BlockThroughputs().Min() <= 0) continue;
            var quality = rng.Next(2) == 0 ? 0.75 : 0.95;
            var bound = selection.NobodyCanGain(quality);
            var any = Enumerable.Range(0, n).Any(j => selection.ShouldChooseOtherBlocks(j, quality, new Random(j), 100));
            if (bound)
            {
                held++;
                Assert.False(any, $"trial {trial}: the bound held but a server wanted to move");
            }
            else if (any) wanted++;
        }
        Assert.True(held > 20, $"the bound held on only {held} swarms");
        Assert.True(wanted > 20, $"a server wanted to move on only {wanted} swarms");
    }

    private static PetalsBlockSelection Stacked(int[] starts)
    {
        var selection = new PetalsBlockSelection(8, [4, 4, 4, 4], [10, 10, 10, 10]);
        for (var j = 0; j < 4; j++) selection.Join(j, starts[j]);
        return selection;
    }
}
