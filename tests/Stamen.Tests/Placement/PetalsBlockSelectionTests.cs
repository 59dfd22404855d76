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

    private static PetalsBlockSelection Stacked(int[] starts)
    {
        var selection = new PetalsBlockSelection(8, [4, 4, 4, 4], [10, 10, 10, 10]);
        for (var j = 0; j < 4; j++) selection.Join(j, starts[j]);
        return selection;
    }
}
