namespace Stamen.Routing;

/// <summary>
/// PETALS' client backoff: the n-th retry comes min(2^(n-1), 60) s after the previous attempt,
/// so attempts fall at 0, 1, 3, 7, 15, 31, 63, 123, 183, ... s. A request that must wait for
/// cache space starts at the first attempt at or after the wait (reference section 1).
/// </summary>
public static class RetrySchedule
{
    public const double MaxGapMs = 60_000;

    /// <summary>Delay before retry number <paramref name="retry"/> (1-based).</summary>
    public static double GapMs(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        return retry > 7 ? MaxGapMs : Math.Min(1000.0 * (1 << (retry - 1)), MaxGapMs);
    }

    /// <summary>Smallest attempt offset (0, 1 s, 3 s, 7 s, ...) that is at least <paramref name="waitMs"/>.</summary>
    public static double RoundUpMs(double waitMs)
    {
        if (double.IsPositiveInfinity(waitMs)) return double.PositiveInfinity;
        double offset = 0;
        for (var retry = 1; offset < waitMs; retry++)
            offset += GapMs(retry);
        return offset;
    }
}
