using Stamen.Routing;

namespace Stamen.Tests.Routing;

public class RetryScheduleTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1000)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 3000)]
    [InlineData(3500, 7000)]
    [InlineData(64_000, 123_000)]
    [InlineData(124_000, 183_000)]
    public void RoundUpMs_Wait_FirstAttemptAtOrAfterIt(double waitMs, double expectedMs) =>
        Assert.Equal(expectedMs, RetrySchedule.RoundUpMs(waitMs));

    [Fact]
    public void GapMs_DoublesThenCapsAtSixtySeconds()
    {
        var gaps = Enumerable.Range(1, 9).Select(RetrySchedule.GapMs).ToArray();
        Assert.Equal([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000], gaps);
    }
}
