using Stamen.Runtime.Model;

namespace Stamen.Tests.Runtime;

public class KernelTests
{
    [Fact]
    public void RmsNorm_HandComputedCase_MatchesFormula()
    {
        // mean(x²) = (1 + 4 + 9 + 16) / 4 = 7.5; 1 / sqrt(7.5 + 0.5) = 1 / sqrt(8).
        float[] x = [1, 2, 3, 4];
        float[] weight = [1, 2, 0.5f, -1];
        var y = new float[4];

        Kernels.RmsNorm(x, weight, eps: 0.5f, y);

        var s = 1 / Math.Sqrt(8);
        double[] expected = [1 * s, 2 * 2 * s, 3 * 0.5 * s, -4 * s];
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], y[i], 6);
    }

    [Fact]
    public void Rotary_HandComputedCase_RotatesHalfPairsByPositionTimesFrequency()
    {
        // Head width 4: pairs (0, 2) at frequency 1 and (1, 3) at frequency theta^(-1/2) = 0.01.
        var table = new RotaryTable(headDim: 4, theta: 10_000, maxPositions: 8);
        float[] v = [1, 2, 3, 4];

        table.Apply(v, heads: 1, position: 3);

        double c0 = Math.Cos(3), s0 = Math.Sin(3), c1 = Math.Cos(0.03), s1 = Math.Sin(0.03);
        Assert.Equal(1 * c0 - 3 * s0, v[0], 5);
        Assert.Equal(2 * c1 - 4 * s1, v[1], 5);
        Assert.Equal(3 * c0 + 1 * s0, v[2], 5);
        Assert.Equal(4 * c1 + 2 * s1, v[3], 5);
    }

    [Fact]
    public void Rotary_PositionZero_IsTheIdentity()
    {
        var table = new RotaryTable(headDim: 8, theta: 10_000, maxPositions: 4);
        float[] v = [1, -2, 3, -4, 5, -6, 7, -8, 9, 10, 11, 12, 13, 14, 15, 16];
        var before = (float[])v.Clone();

        table.Apply(v, heads: 2, position: 0);

        TinyModel.AssertBitwiseEqual(before, v);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(128)]
    [InlineData(771)]
    public void Dot_EveryVectorPath_GivesTheSameBits(int length)
    {
        var rng = new Random(length);
        var a = Enumerable.Range(0, length).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        var b = Enumerable.Range(0, length).Select(_ => rng.NextSingle() - 0.5f).ToArray();

        var scalar = Kernels.DotScalar(a, b);

        Assert.Equal(BitConverter.SingleToInt32Bits(scalar), BitConverter.SingleToInt32Bits(Kernels.DotVector128(a, b)));
        Assert.Equal(BitConverter.SingleToInt32Bits(scalar), BitConverter.SingleToInt32Bits(Kernels.DotVector256(a, b)));
        Assert.Equal(a.Zip(b, (x, y) => (double)x * y).Sum(), scalar, 4);
        var (first, second) = Kernels.DotPair(a, b, a);
        Assert.Equal(BitConverter.SingleToInt32Bits(scalar), BitConverter.SingleToInt32Bits(first));
        Assert.Equal(BitConverter.SingleToInt32Bits(Kernels.DotScalar(a, a)), BitConverter.SingleToInt32Bits(second));
    }

    [Fact]
    public void Dot_SameValuesAtAnyAddress_GivesTheSameBits()
    {
        // A server's arrays sit at other addresses than the client's: alignment must not change rounding.
        var rng = new Random(3);
        var a = Enumerable.Range(0, 768).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        var b = Enumerable.Range(0, 768).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        var expected = BitConverter.SingleToInt32Bits(Kernels.Dot(a, b));

        for (var offset = 1; offset < 16; offset++)
        {
            var shifted = new float[a.Length + 16];
            a.CopyTo(shifted, offset);
            Assert.Equal(expected, BitConverter.SingleToInt32Bits(Kernels.Dot(shifted.AsSpan(offset, a.Length), b)));
        }
    }

    [Fact]
    public void ArgMax_Ties_PickTheLowestIndex()
    {
        Assert.Equal(1, LmHead.ArgMax([0f, 3f, 1f, 3f]));
        Assert.Equal(0, LmHead.ArgMax([float.NegativeInfinity, float.NegativeInfinity]));
        Assert.Equal(2, LmHead.ArgMax([float.NaN, 1f, 2f, float.NaN]));
    }

    [Fact]
    public void Softmax_SumsToOneAndKeepsOrder()
    {
        float[] s = [1, 3, 2, -1];

        Kernels.Softmax(s);

        Assert.Equal(1.0, s.Sum(), 6);
        Assert.True(s[1] > s[2] && s[2] > s[0] && s[0] > s[3]);
        Assert.Equal(Math.Exp(1) / (Math.Exp(1) + Math.Exp(3) + Math.Exp(2) + Math.Exp(-1)), s[0], 6);
    }
}
