namespace Stamen.Runtime.Model;

/// <summary>How the kernels may use threads. Never changes a result: each output value is computed by one thread in a fixed order.</summary>
/// <param name="MaxDegreeOfParallelism">Most threads one matrix product or attention step uses; null lets the runtime choose, 1 runs everything on the calling thread.</param>
/// <param name="ParallelThresholdMacs">
/// Multiply-adds below which a product or attention step runs on the calling thread. The default,
/// 4 M (about 250 µs on one core), keeps a decode step's projections of a 768-wide block serial:
/// handing 50-100 µs of work to pool threads costs more than it saves when cores are busy
/// (measured on a shared 2-core machine: a 768-wide block decoded in 0.75 ms on one thread and
/// 2.2 ms when its products were split at 256 K multiply-adds), while prefills and the 32 K-row
/// output head still split.
/// </param>
public sealed record ComputeOptions(int? MaxDegreeOfParallelism = null, long ParallelThresholdMacs = 1L << 22)
{
    /// <summary>The runtime's choice of threads.</summary>
    public static ComputeOptions Default { get; } = new();

    /// <summary>Everything on the calling thread.</summary>
    public static ComputeOptions SingleThreaded { get; } = new(1);

    internal bool Parallel => MaxDegreeOfParallelism is not 1;

    // Computed, not stored: a stored one would survive a `with` that changes the thread limit.
    internal ParallelOptions ParallelOptions => new() { MaxDegreeOfParallelism = MaxDegreeOfParallelism ?? -1 };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when the thread limit is below 1 or the threshold negative.</summary>
    public void Validate()
    {
        if (MaxDegreeOfParallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), $"MaxDegreeOfParallelism is {MaxDegreeOfParallelism}; it must be at least 1 (or null)");
        ArgumentOutOfRangeException.ThrowIfNegative(ParallelThresholdMacs);
    }
}
