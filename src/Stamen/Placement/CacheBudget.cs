namespace Stamen.Placement;

/// <summary>
/// How a server's attention cache is bounded. Shared: one pool of <see cref="PoolBytes"/> for all
/// blocks (CG-BP: memory left after weights). Per block: every held block has its own pool of
/// <see cref="PoolBytes"/> (PETALS: a fixed 4096-token cache per block).
/// </summary>
public readonly record struct CacheBudget(double PoolBytes, bool PerBlock);
