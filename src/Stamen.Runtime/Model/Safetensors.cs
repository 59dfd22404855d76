using System.Buffers.Binary;
using System.Text.Json;

namespace Stamen.Runtime.Model;

/// <summary>Element types of safetensors files this runtime reads and writes; all are widened to fp32 on load.</summary>
public enum SafetensorsDtype
{
    /// <summary>IEEE single precision, 4 bytes: loaded exactly.</summary>
    F32,

    /// <summary>IEEE half precision, 2 bytes: every value is exactly representable in fp32.</summary>
    F16,

    /// <summary>bfloat16 (fp32's upper 16 bits), 2 bytes: exact in fp32.</summary>
    BF16,
}

/// <summary>One tensor to write: its name, the type to store it as, its shape and its fp32 values (rounded to nearest even when narrowed).</summary>
public sealed record SafetensorsTensor(string Name, SafetensorsDtype Dtype, IReadOnlyList<int> Shape, float[] Values);

/// <summary>Where a tensor lies in a safetensors file.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Dtype">Stored type.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="BeginByte">Offset of the first byte within the data section.</param>
/// <param name="EndByte">Offset one past the last byte within the data section.</param>
public sealed record SafetensorsEntry(string Name, SafetensorsDtype Dtype, IReadOnlyList<int> Shape, long BeginByte, long EndByte)
{
    /// <summary>Number of elements.</summary>
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and byte offsets, then the raw data). Reading parses the header
/// once and reads only the tensors asked for, so a server holding blocks 8..12 of a large model
/// never reads the rest. Every defect names the file, the tensor and the fix.
/// </summary>
public sealed class SafetensorsFile
{
    /// <summary>Largest header accepted (the format's reference implementation caps it at 100 MB too).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly Dictionary<string, SafetensorsEntry> _entries;
    private readonly long _dataStart;

    private SafetensorsFile(string path, Dictionary<string, SafetensorsEntry> entries, long dataStart)
    {
        Path = path;
        _entries = entries;
        _dataStart = dataStart;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The tensors the header lists, by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries => _entries;

    /// <summary>Parses the header of <paramref name="path"/> and checks every entry lies within the file.</summary>
    public static SafetensorsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", "the file does not exist", "pass a folder holding model.safetensors");
        using var stream = File.OpenRead(path);
        var length = stream.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (length < 8 || stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw Truncated(path, "(header length)", $"the file has {length} bytes, fewer than the 8 of the header length");
        var headerBytes = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerBytes > MaxHeaderBytes || (long)headerBytes > length - 8)
            throw Truncated(path, "(header)", $"the header claims {headerBytes} bytes but the file has {length - 8} after the length");
        var header = new byte[headerBytes];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerBytes;
        var dataBytes = length - dataStart;

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new StamenInputException(path, "(header)", $"the header is not valid JSON ({e.Message})", "re-export the file with the safetensors library");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new StamenInputException(path, "(header)", "the header is not a JSON object", "re-export the file with the safetensors library");
            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                var entry = ParseEntry(path, property);
                if (entry.EndByte > dataBytes)
                    throw Truncated(path, entry.Name, $"its data ends at byte {entry.EndByte} of the data section, which has {dataBytes}");
                entries[entry.Name] = entry;
            }
            return new SafetensorsFile(path, entries, dataStart);
        }
    }

    /// <summary>True when the file holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>
    /// The values of <paramref name="name"/> widened to fp32, after checking its shape is
    /// <paramref name="expectedShape"/>. A missing tensor or a wrong shape says what the config implies.
    /// </summary>
    public float[] ReadFloat32(string name, IReadOnlyList<int> expectedShape)
    {
        ArgumentNullException.ThrowIfNull(expectedShape);
        if (!_entries.TryGetValue(name, out var entry))
            throw new StamenInputException(Path, name, "the tensor is missing",
                "export every tensor of a Llama checkpoint (names as in Hugging Face transformers), or check config.json matches the file");
        if (!entry.Shape.SequenceEqual(expectedShape))
            throw new StamenInputException(Path, name,
                $"the shape is [{string.Join(", ", entry.Shape)}] but config.json implies [{string.Join(", ", expectedShape)}]",
                "check config.json belongs to this model.safetensors");
        if (entry.Elements > Array.MaxLength)
            throw new StamenInputException(Path, name, $"{entry.Elements} elements exceed one array", "use a smaller model");

        var bytes = new byte[entry.EndByte - entry.BeginByte];
        using (var handle = File.OpenHandle(Path))
        {
            var read = 0;
            while (read < bytes.Length)
            {
                var n = RandomAccess.Read(handle, bytes.AsSpan(read), _dataStart + entry.BeginByte + read);
                if (n == 0) throw Truncated(Path, name, "the file ended inside the tensor's data");
                read += n;
            }
        }

        var values = new float[entry.Elements];
        switch (entry.Dtype)
        {
            case SafetensorsDtype.F32:
                for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
                break;
            case SafetensorsDtype.F16:
                for (var i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(2 * i));
                break;
            case SafetensorsDtype.BF16:
                for (var i = 0; i < values.Length; i++)
                    values[i] = BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2 * i)) << 16);
                break;
        }
        return values;
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> (through a temporary file and a rename).</summary>
    public static void Write(string path, IEnumerable<SafetensorsTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        using var json = new MemoryStream();
        long offset = 0;
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (var t in list)
            {
                var elements = t.Shape.Aggregate(1L, (a, b) => a * b);
                if (elements != t.Values.LongLength)
                    throw new ArgumentException($"tensor {t.Name} has {t.Values.LongLength} values but shape [{string.Join(", ", t.Shape)}]", nameof(tensors));
                var bytes = elements * ElementBytes(t.Dtype);
                writer.WriteStartObject(t.Name);
                writer.WriteString("dtype", t.Dtype.ToString());
                writer.WriteStartArray("shape");
                foreach (var d in t.Shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + bytes);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += bytes;
            }
            writer.WriteEndObject();
        }
        // The format pads the header with spaces to a multiple of 8 so the data is aligned.
        var headerLength = (json.Length + 7) / 8 * 8;
        var full = System.IO.Path.GetFullPath(path);
        var temp = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var file = File.Create(temp))
            {
                Span<byte> prefix = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)headerLength);
                file.Write(prefix);
                file.Write(json.GetBuffer().AsSpan(0, (int)json.Length));
                for (var i = json.Length; i < headerLength; i++) file.WriteByte((byte)' ');
                foreach (var t in list) file.Write(Encode(t));
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static byte[] Encode(SafetensorsTensor t)
    {
        var bytes = new byte[t.Values.LongLength * ElementBytes(t.Dtype)];
        for (var i = 0; i < t.Values.Length; i++)
        {
            var v = t.Values[i];
            switch (t.Dtype)
            {
                case SafetensorsDtype.F32: BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), v); break;
                case SafetensorsDtype.F16: BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(2 * i), (Half)v); break;
                case SafetensorsDtype.BF16: BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), ToBFloat16(v)); break;
            }
        }
        return bytes;
    }

    /// <summary>fp32 to bfloat16 bits, rounding to nearest even (NaN stays a quiet NaN).</summary>
    internal static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ElementBytes(SafetensorsDtype dtype) => dtype == SafetensorsDtype.F32 ? 4 : 2;

    private static SafetensorsEntry ParseEntry(string path, JsonProperty property)
    {
        var name = property.Name;
        const string Fix = "re-export the file with the safetensors library";
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw new StamenInputException(path, name, "the header entry lacks dtype, shape or a two-number data_offsets", Fix);
        var dtypeName = dtypeElement.GetString();
        SafetensorsDtype dtype = dtypeName switch
        {
            "F32" => SafetensorsDtype.F32,
            "F16" => SafetensorsDtype.F16,
            "BF16" => SafetensorsDtype.BF16,
            _ => throw new StamenInputException(path, name, $"dtype {dtypeName} is not supported",
                "convert the checkpoint to F32, F16 or BF16 (quantised formats are not read)"),
        };
        var shape = new List<int>();
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (!d.TryGetInt32(out var size) || size < 0)
                throw new StamenInputException(path, name, $"shape entry {d} is not a non-negative integer", Fix);
            shape.Add(size);
        }
        if (!offsetsElement[0].TryGetInt64(out var begin) || !offsetsElement[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw new StamenInputException(path, name, "data_offsets are not two ordered non-negative integers", Fix);
        var entry = new SafetensorsEntry(name, dtype, shape, begin, end);
        if (entry.Elements * ElementBytes(dtype) != end - begin)
            throw new StamenInputException(path, name,
                $"shape [{string.Join(", ", shape)}] of {dtype} needs {entry.Elements * ElementBytes(dtype)} bytes but data_offsets span {end - begin}", Fix);
        return entry;
    }

    private static StamenInputException Truncated(string path, string field, string problem) =>
        new(path, field, $"the file is truncated or corrupt: {problem}", "copy or download the file again");
}
