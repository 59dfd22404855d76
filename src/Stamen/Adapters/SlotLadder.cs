namespace Stamen.Adapters;

/// <summary>
/// The adapter-slot counts (max_loras) a GPU may be given, and the served-adapter checkpoints the greedy
/// placement checks at: the published ladder [8, 16, 32, 64, 96, 128, 160, 192, 256, ...] continued in
/// steps of 64.
/// </summary>
public static class SlotLadder
{
    private static readonly int[] Head = [8, 16, 32, 64, 96, 128, 160, 192, 256];

    /// <summary>The ladder's values up to <paramref name="max"/>, ascending.</summary>
    public static IEnumerable<int> UpTo(int max)
    {
        foreach (var v in Head)
        {
            if (v > max) yield break;
            yield return v;
        }
        for (var v = Head[^1] + 64; v <= max; v += 64) yield return v;
    }

    /// <summary>The smallest ladder value above <paramref name="value"/>.</summary>
    public static int Next(int value)
    {
        foreach (var v in Head)
            if (v > value) return v;
        return Head[^1] + 64 * ((value - Head[^1]) / 64 + 1);
    }

    /// <summary>The largest ladder value at most <paramref name="value"/>, or <paramref name="value"/> itself below the first rung.</summary>
    public static int AtMost(int value) => value < Head[0] ? value : UpTo(value).Last();
}
