namespace Stamen.Placement;

/// <summary>
/// How a server's attention cache is bounded. Shared: one pool of <see cref="PoolBytes"/> for all
/// blocks (CG-BP: memory left after weights). Per block: every held block has its own pool of
/// <see cref="PoolBytes"/> (PETALS: a fixed 4096-token cache per block).
/// </summary>
public readonly record struct CacheBudget(double PoolBytes, bool PerBlock)
{
    /// <summary>
    /// Sessions the server can hold at once, each using <paramref name="blocksPerSession"/> of its blocks
    /// with <paramref name="sessionBytesPerBlock"/> (s_c) each: floor(pool / (s_c k)) for a shared pool,
    /// floor(pool / s_c) for per-block pools (reference section 1).
    /// </summary>
    public int SessionCapacity(int blocksPerSession, double sessionBytesPerBlock)
    {
        if (blocksPerSession <= 0) return 0;
        var perSession = PerBlock ? sessionBytesPerBlock : sessionBytesPerBlock * blocksPerSession;
        return (int)Math.Floor(PoolBytes / perSession);
    }
}
