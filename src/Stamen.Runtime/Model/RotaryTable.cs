namespace Stamen.Runtime.Model;

/// <summary>
/// Cosines and sines of the rotary embedding for every position and frequency, computed once per
/// model shape. Angles are formed in double and rounded to float once, so every process builds the
/// same table (rounding a double's last-bit disagreement between C libraries almost never reaches float).
/// </summary>
internal sealed class RotaryTable
{
    private readonly float[] _cos;
    private readonly float[] _sin;

    public RotaryTable(int headDim, double theta, int maxPositions)
    {
        HeadDim = headDim;
        Half = headDim / 2;
        MaxPositions = maxPositions;
        _cos = new float[(long)maxPositions * Half > int.MaxValue ? throw new ArgumentOutOfRangeException(nameof(maxPositions)) : maxPositions * Half];
        _sin = new float[_cos.Length];
        for (var i = 0; i < Half; i++)
        {
            // HF: inv_freq[i] = theta^(-2i / headDim).
            var inverseFrequency = Math.Pow(theta, -2.0 * i / headDim);
            for (var p = 0; p < maxPositions; p++)
            {
                var angle = p * inverseFrequency;
                _cos[p * Half + i] = (float)Math.Cos(angle);
                _sin[p * Half + i] = (float)Math.Sin(angle);
            }
        }
    }

    public int HeadDim { get; }
    public int Half { get; }
    public int MaxPositions { get; }

    /// <summary>
    /// Rotates each of <paramref name="heads"/> heads of <paramref name="vector"/> to <paramref name="position"/>,
    /// HF's rotate_half convention: dimension i pairs with i + headDim/2 (not with i + 1, as in the original RoFormer).
    /// </summary>
    public void Apply(Span<float> vector, int heads, int position)
    {
        var cos = new ReadOnlySpan<float>(_cos, position * Half, Half);
        var sin = new ReadOnlySpan<float>(_sin, position * Half, Half);
        for (var h = 0; h < heads; h++)
        {
            var head = vector.Slice(h * HeadDim, HeadDim);
            for (var i = 0; i < Half; i++)
            {
                var x1 = head[i];
                var x2 = head[i + Half];
                head[i] = x1 * cos[i] - x2 * sin[i];
                head[i + Half] = x2 * cos[i] + x1 * sin[i];
            }
        }
    }
}
