using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Stamen.Runtime.Model;

/// <summary>
/// The arithmetic every block is made of. Each function's rounding depends only on its inputs'
/// values and lengths — never on thread count, batch size, memory address or the CPU's vector
/// width — so the same token gives the same bits in any process on any x64 or Arm64 machine.
/// </summary>
/// <remarks>
/// <para>Dot products are hand-written rather than <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>:
/// that one sums in lanes as wide as the CPU's widest vector, so an AVX-512 machine and an AVX2
/// machine round differently (measured: the same inputs give different bits by default, with
/// <c>DOTNET_EnableAVX512=0</c> and with <c>DOTNET_EnableAVX2=0</c>). Here the sum always has 32 lanes, each lane accumulates with a
/// fused multiply-add (exactly rounded, so the hardware and software forms agree), and lanes are
/// folded in one fixed tree; the Vector256, Vector128 and scalar paths give identical bits.</para>
/// <para>Element-wise operations (add, multiply, divide, exp, sigmoid, fused multiply-add) come from
/// <see cref="TensorPrimitives"/>; each element's result does not depend on its neighbours, and
/// every call covers one token's row, so a token's arithmetic is the same in a prefill of 128
/// tokens and a decode of one.</para>
/// </remarks>
internal static class Kernels
{
    /// <summary>Lanes of the dot product's partial sums: 4 Vector256 or 8 Vector128 accumulators, enough in flight to hide the FMA latency.</summary>
    internal const int DotLanes = 32;

    /// <summary>Which implementation <see cref="Dot"/> uses on this machine (all give the same bits).</summary>
    internal static string DotPath =>
        Vector256.IsHardwareAccelerated ? "Vector256" : Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";

    /// <summary>Σ a[i]·b[i] in the fixed 32-lane order.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (Vector256.IsHardwareAccelerated) return DotVector256(a, b);
        if (Vector128.IsHardwareAccelerated) return DotVector128(a, b);
        return DotScalar(a, b);
    }

    internal static float DotVector256(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) ThrowLengths(a.Length, b.Length);
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        var n = a.Length;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        var i = 0;
        for (; i <= n - DotLanes; i += DotLanes)
        {
            var u = (nuint)i;
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, u), Vector256.LoadUnsafe(ref rb, u), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, u + 8), Vector256.LoadUnsafe(ref rb, u + 8), s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, u + 16), Vector256.LoadUnsafe(ref rb, u + 16), s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, u + 24), Vector256.LoadUnsafe(ref rb, u + 24), s3);
        }
        // Fold lane l with l+16, then l+8, then l+4, then pairs: the tree every path follows.
        var eight = (s0 + s2) + (s1 + s3);
        var four = eight.GetLower() + eight.GetUpper();
        return Tail(a, b, i, (four.GetElement(0) + four.GetElement(2)) + (four.GetElement(1) + four.GetElement(3)));
    }

    /// <summary>
    /// <see cref="Dot"/>(w, x0) and <see cref="Dot"/>(w, x1) in one pass over <paramref name="w"/>: each
    /// weight vector is loaded once for two tokens, which nearly halves the loads of a prefill. Each
    /// result has its own accumulators and the same fold, so the bits equal two separate calls.
    /// </summary>
    public static (float First, float Second) DotPair(ReadOnlySpan<float> w, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1)
    {
        if (!Vector256.IsHardwareAccelerated) return (Dot(w, x0), Dot(w, x1));
        if (w.Length != x0.Length || w.Length != x1.Length) ThrowLengths(w.Length, Math.Min(x0.Length, x1.Length));
        ref var rw = ref MemoryMarshal.GetReference(w);
        ref var ra = ref MemoryMarshal.GetReference(x0);
        ref var rb = ref MemoryMarshal.GetReference(x1);
        var n = w.Length;
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
        var i = 0;
        for (; i <= n - DotLanes; i += DotLanes)
        {
            var u = (nuint)i;
            var w0 = Vector256.LoadUnsafe(ref rw, u);
            var w1 = Vector256.LoadUnsafe(ref rw, u + 8);
            var w2 = Vector256.LoadUnsafe(ref rw, u + 16);
            var w3 = Vector256.LoadUnsafe(ref rw, u + 24);
            a0 = Vector256.FusedMultiplyAdd(w0, Vector256.LoadUnsafe(ref ra, u), a0);
            b0 = Vector256.FusedMultiplyAdd(w0, Vector256.LoadUnsafe(ref rb, u), b0);
            a1 = Vector256.FusedMultiplyAdd(w1, Vector256.LoadUnsafe(ref ra, u + 8), a1);
            b1 = Vector256.FusedMultiplyAdd(w1, Vector256.LoadUnsafe(ref rb, u + 8), b1);
            a2 = Vector256.FusedMultiplyAdd(w2, Vector256.LoadUnsafe(ref ra, u + 16), a2);
            b2 = Vector256.FusedMultiplyAdd(w2, Vector256.LoadUnsafe(ref rb, u + 16), b2);
            a3 = Vector256.FusedMultiplyAdd(w3, Vector256.LoadUnsafe(ref ra, u + 24), a3);
            b3 = Vector256.FusedMultiplyAdd(w3, Vector256.LoadUnsafe(ref rb, u + 24), b3);
        }
        // Multiplication commutes exactly, so w·x here rounds as x·w in DotVector256.
        var ea = (a0 + a2) + (a1 + a3);
        var fa = ea.GetLower() + ea.GetUpper();
        var eb = (b0 + b2) + (b1 + b3);
        var fb = eb.GetLower() + eb.GetUpper();
        return (Tail(w, x0, i, (fa.GetElement(0) + fa.GetElement(2)) + (fa.GetElement(1) + fa.GetElement(3))),
                Tail(w, x1, i, (fb.GetElement(0) + fb.GetElement(2)) + (fb.GetElement(1) + fb.GetElement(3))));
    }

    internal static float DotVector128(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) ThrowLengths(a.Length, b.Length);
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        var n = a.Length;
        Vector128<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        var i = 0;
        for (; i <= n - DotLanes; i += DotLanes)
        {
            var u = (nuint)i;
            s0 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref ra, u), Vector128.LoadUnsafe(ref rb, u), s0);
            s1 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref ra, u + 4), Vector128.LoadUnsafe(ref rb, u + 4), s1);
            s2 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref ra, u + 8), Vector128.LoadUnsafe(ref rb, u + 8), s2);
            s3 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref ra, u + 12), Vector128.LoadUnsafe(ref rb, u + 12), s3);
            s4 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref ra, u + 16), Vector128.LoadUnsafe(ref rb, u + 16), s4);
            s5 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref ra, u + 20), Vector128.LoadUnsafe(ref rb, u + 20), s5);
            s6 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref ra, u + 24), Vector128.LoadUnsafe(ref rb, u + 24), s6);
            s7 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref ra, u + 28), Vector128.LoadUnsafe(ref rb, u + 28), s7);
        }
        // The same tree as the Vector256 path: lanes 0-7 are (s0, s1), 16-23 are (s4, s5), ...
        var lo = (s0 + s4) + (s2 + s6);
        var hi = (s1 + s5) + (s3 + s7);
        var four = lo + hi;
        return Tail(a, b, i, (four.GetElement(0) + four.GetElement(2)) + (four.GetElement(1) + four.GetElement(3)));
    }

    internal static float DotScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) ThrowLengths(a.Length, b.Length);
        Span<float> lanes = stackalloc float[DotLanes];
        lanes.Clear();
        var i = 0;
        for (; i <= a.Length - DotLanes; i += DotLanes)
            for (var l = 0; l < DotLanes; l++) lanes[l] = MathF.FusedMultiplyAdd(a[i + l], b[i + l], lanes[l]);
        for (var width = DotLanes / 2; width >= 4; width /= 2)
            for (var l = 0; l < width; l++) lanes[l] += lanes[l + width];
        return Tail(a, b, i, (lanes[0] + lanes[2]) + (lanes[1] + lanes[3]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tail(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int from, float sum)
    {
        for (var i = from; i < a.Length; i++) sum = MathF.FusedMultiplyAdd(a[i], b[i], sum);
        return sum;
    }

    private static void ThrowLengths(int a, int b) =>
        throw new ArgumentException($"dot product of spans of lengths {a} and {b}");

    /// <summary>
    /// y[t, r] = W[r] · x[t] for <paramref name="tokens"/> rows of x [tokens, inDim] and W [outDim, inDim]
    /// (the layout of <c>nn.Linear</c>). Large products split output rows among threads; each output
    /// is still one <see cref="Dot"/>, so the split changes nothing but the time.
    /// </summary>
    public static void MatMul(float[] x, int tokens, int inDim, float[] w, int outDim, float[] y, ComputeOptions options)
    {
        // Rows in a chunk: enough to amortise scheduling, few enough to balance across cores.
        const int RowsPerChunk = 16;
        void Rows(int first, int last)
        {
            for (var r = first; r < last; r++)
            {
                var row = new ReadOnlySpan<float>(w, r * inDim, inDim);
                var t = 0;
                for (; t + 1 < tokens; t += 2)
                    (y[t * outDim + r], y[(t + 1) * outDim + r]) =
                        DotPair(row, new ReadOnlySpan<float>(x, t * inDim, inDim), new ReadOnlySpan<float>(x, (t + 1) * inDim, inDim));
                if (t < tokens) y[t * outDim + r] = Dot(row, new ReadOnlySpan<float>(x, t * inDim, inDim));
            }
        }

        if (!options.Parallel || (long)tokens * inDim * outDim < options.ParallelThresholdMacs || outDim <= RowsPerChunk)
        {
            Rows(0, outDim);
            return;
        }
        var chunks = (outDim + RowsPerChunk - 1) / RowsPerChunk;
        Parallel.For(0, chunks, options.ParallelOptions, c => Rows(c * RowsPerChunk, Math.Min(outDim, (c + 1) * RowsPerChunk)));
    }

    /// <summary>RMSNorm: y = x / sqrt(mean(x²) + eps) ⊙ weight (HF LlamaRMSNorm, in fp32).</summary>
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> y)
    {
        var meanSquare = Dot(x, x) / x.Length;
        var scale = 1f / MathF.Sqrt(meanSquare + eps);
        TensorPrimitives.Multiply(x, scale, y);
        TensorPrimitives.Multiply(y, weight, y);
    }

    /// <summary>Softmax in place: exp(s - max) / Σ, the sum taken left to right.</summary>
    public static void Softmax(Span<float> scores)
    {
        var max = TensorPrimitives.Max(scores);
        TensorPrimitives.Subtract(scores, max, scores);
        TensorPrimitives.Exp(scores, scores);
        var sum = 0f;
        foreach (var s in scores) sum += s;
        TensorPrimitives.Divide(scores, sum, scores);
    }

    /// <summary>SiLU(gate) ⊙ up, into <paramref name="gate"/> (SwiGLU's activation).</summary>
    public static void SwiGlu(Span<float> gate, ReadOnlySpan<float> up, Span<float> scratch)
    {
        TensorPrimitives.Sigmoid(gate, scratch);
        TensorPrimitives.Multiply(gate, scratch, gate);
        TensorPrimitives.Multiply(gate, up, gate);
    }

    /// <summary>Index of the largest value, the lowest index on ties (NaN never wins).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        var bestValue = float.NegativeInfinity;
        var found = false;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] > bestValue || (!found && !float.IsNaN(values[i])))
            {
                best = i;
                bestValue = values[i];
                found = true;
            }
        }
        return best;
    }
}
