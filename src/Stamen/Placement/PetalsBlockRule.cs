namespace Stamen.Placement;

/// <summary>
/// PETALS' rule for where a joining server puts its blocks, for callers outside the planner (the
/// runtime's block servers choose their own blocks with it, as PETALS servers do).
/// </summary>
public static class PetalsBlockRule
{
    /// <summary>
    /// The start whose window of <paramref name="length"/> block throughputs, sorted ascending, is
    /// lexicographically smallest (it serves the weakest blocks); ties go to the smallest start, and values
    /// within a relative <paramref name="tolerance"/> of each other count as equal (0: exact, as PETALS).
    /// </summary>
    public static int BestStart(double[] blockThroughputs, int length, double tolerance = 0)
    {
        ArgumentNullException.ThrowIfNull(blockThroughputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, blockThroughputs.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        return PetalsBlockSelection.BestStart(blockThroughputs, length, tolerance);
    }
}
