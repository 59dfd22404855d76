namespace Stamen.Simulation;

/// <summary>
/// Independent random streams from one run seed, one per subsystem, so that randomness added in
/// one subsystem does not shift another's draws. Uses SplitMix64 (stable across runtimes, unlike
/// string hashing).
/// </summary>
public static class SeedStreams
{
    /// <summary>Stream of the router's <see cref="Random"/> in the swarm twin.</summary>
    public const int SwarmRouter = 1;

    // Streams of one Monte Carlo run's seed. Each subsystem draws from its own, so adding a random
    // choice in one (say, client placement) never moves another's draws (say, arrival times).

    /// <summary>Which topology nodes generated servers sit on.</summary>
    public const int ServerNodes = 10;

    /// <summary>Which nodes clients marked `random` sit on.</summary>
    public const int ClientNodes = 11;

    /// <summary>Arrival times, lengths and clients of generated requests.</summary>
    public const int Workload = 12;

    /// <summary>The placement planner's choices (PETALS join order and rebalancing).</summary>
    public const int Planner = 13;

    /// <summary>The seed handed to the twin (its router stream derives from it).</summary>
    public const int Twin = 14;

    /// <summary>Poisson arrival times in the batching cluster twin (its lengths use <see cref="Workload"/>, its scheduler <see cref="SwarmRouter"/>).</summary>
    public const int ClusterArrivals = 15;

    /// <summary>Seed of stream <paramref name="stream"/> derived from <paramref name="seed"/>.</summary>
    public static int Derive(int seed, int stream)
    {
        var z = unchecked(((ulong)(uint)seed << 32 | (uint)stream) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }

    public static Random Create(int seed, int stream) => new(Derive(seed, stream));
}
