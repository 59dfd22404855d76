namespace Stamen.Plans;

/// <summary>A contiguous range of blocks [Start, Start + Count). Count 0 means the server holds nothing.</summary>
public readonly record struct BlockSpan(int Start, int Count)
{
    public static BlockSpan None => new(0, 0);
    public int End => Start + Count;
    public bool IsEmpty => Count == 0;
    public bool Contains(int block) => block >= Start && block < End;
}
