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
        for (var j = 0; j < 4; j++)
        {
            selection.Starts[j] = starts[j];
            selection.Joined[j] = true;
        }
        return selection;
    }
}
