using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Stamen.Runtime.Swarm;

/// <summary>
/// Hidden states on the wire: little-endian float32, row-major [tokens, hidden], nothing else (the session and the
/// step kind are in the URL). Exact: the floats a server sends are the floats the next one computes with.
/// </summary>
public static class HiddenCodec
{
    public static byte[] Encode(float[] hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var bytes = new byte[hidden.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(hidden.AsSpan()).CopyTo(bytes);
        else
            for (var i = 0; i < hidden.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), hidden[i]);
        return bytes;
    }

    /// <summary>The floats in <paramref name="bytes"/>, or null when the length is not whole rows of <paramref name="hiddenSize"/> or a value is not finite.</summary>
    public static float[]? Decode(ReadOnlySpan<byte> bytes, int hiddenSize)
    {
        if (bytes.Length == 0 || bytes.Length % (hiddenSize * sizeof(float)) != 0) return null;
        var values = new float[bytes.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian) bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        else
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4));
        foreach (var v in values)
            if (!float.IsFinite(v)) return null;
        return values;
    }
}
