using System.Diagnostics;

namespace Stamen.Bench;

/// <summary>Wall times of repeated runs of one action, in ms.</summary>
public sealed record Timing(IReadOnlyList<double> SamplesMs)
{
    public double MedianMs
    {
        get
        {
            var sorted = SamplesMs.Order().ToList();
            var mid = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    public double MinMs => SamplesMs.Min();
}

/// <summary>
/// Stopwatch timing: untimed warm-up (JIT, catalog loading; repeated while under 300 ms in all,
/// at most 5 runs, so tiered compilation has promoted the hot methods), then
/// <c>repetitions</c> timed runs. A full collection before each run keeps one run's garbage
/// from being billed to the next.
/// </summary>
public static class Measure
{
    public static Timing Run(int repetitions, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var warmUp = Stopwatch.StartNew();
        for (var w = 0; w < 5 && (w == 0 || warmUp.ElapsedMilliseconds < 300); w++) action();
        var samples = new List<double>(repetitions);
        for (var r = 0; r < repetitions; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var clock = Stopwatch.StartNew();
            action();
            clock.Stop();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        return new Timing(samples);
    }

    /// <summary>One timed run, no warm-up (for cases too slow to repeat).</summary>
    public static Timing Once(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var clock = Stopwatch.StartNew();
        action();
        return new Timing([clock.Elapsed.TotalMilliseconds]);
    }
}
