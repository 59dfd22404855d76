namespace Stamen.Plans;

/// <summary>
/// How a server's attention cache is bounded. Shared: one pool of <see cref="PoolBytes"/> for all
/// blocks (CG-BP: memory left after weights). Per block: every held block has its own pool of
/// <see cref="PoolBytes"/> (PETALS: a fixed 4096-token cache per block). Session slots (when
/// <see cref="SlotBytes"/> &gt; 0): one pool of <see cref="PoolBytes"/> in which every session takes
/// <see cref="SlotBytes"/> whatever its blocks and length, so the server holds
/// floor(PoolBytes / SlotBytes) sessions (the published simulator's PETALS pool).
/// </summary>
public readonly record struct CacheBudget(double PoolBytes, bool PerBlock, double SlotBytes = 0)
{
    /// <summary>True for a pool counted in session slots.</summary>
    public bool IsSlots => SlotBytes > 0;

    /// <summary>A pool of <paramref name="slots"/> sessions of <paramref name="slotBytes"/> each.</summary>
    public static CacheBudget Slots(double poolBytes, double slotBytes) =>
        slotBytes > 0 ? new(poolBytes, false, slotBytes) : throw new ArgumentOutOfRangeException(nameof(slotBytes), "A slot needs a positive size.");

    /// <summary>Bytes one session takes from this pool when it uses <paramref name="blocks"/> blocks of <paramref name="sessionBytesPerBlock"/> each.</summary>
    public double SessionBytes(int blocks, double sessionBytesPerBlock) =>
        IsSlots ? SlotBytes : PerBlock ? sessionBytesPerBlock : sessionBytesPerBlock * blocks;

    /// <summary>Cache per held block: the per-block pool, or a server pool spread evenly over its <paramref name="heldBlocks"/>.</summary>
    public double BytesPerHeldBlock(int heldBlocks) => PerBlock ? PoolBytes : heldBlocks > 0 ? PoolBytes / heldBlocks : 0;

    /// <summary>
    /// Sessions the server can hold at once, each using <paramref name="blocksPerSession"/> of its blocks
    /// with <paramref name="sessionBytesPerBlock"/> (s_c) each: floor(pool / (s_c k)) for a shared pool,
    /// floor(pool / s_c) for per-block pools (reference section 1), floor(pool / slot) for slots.
    /// </summary>
    public int SessionCapacity(int blocksPerSession, double sessionBytesPerBlock)
    {
        if (blocksPerSession <= 0) return 0;
        return (int)Math.Floor(PoolBytes / SessionBytes(blocksPerSession, sessionBytesPerBlock));
    }
}
