namespace Stamen.Runtime.Model;

/// <summary>A contiguous run of transformer blocks [<paramref name="Start"/>, <paramref name="End"/>), as a server holds them.</summary>
/// <param name="Start">First block, counted from 0.</param>
/// <param name="End">One past the last block.</param>
public readonly record struct BlockRange(int Start, int End)
{
    /// <summary>Blocks in the range.</summary>
    public int Count => End - Start;

    /// <summary>Every block of a model with <paramref name="blocks"/> blocks.</summary>
    public static BlockRange All(int blocks) => new(0, blocks);

    /// <summary>True when <paramref name="block"/> lies in the range.</summary>
    public bool Contains(int block) => block >= Start && block < End;

    /// <summary>Throws <see cref="ArgumentException"/> unless the range is non-empty and within a model of <paramref name="blocks"/> blocks.</summary>
    public void Validate(int blocks)
    {
        if (Start < 0 || End > blocks || Start >= End)
            throw new ArgumentException($"block range [{Start}, {End}) must be non-empty and lie within [0, {blocks}]");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Start}:{End}";
}
