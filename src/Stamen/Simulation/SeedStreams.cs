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
