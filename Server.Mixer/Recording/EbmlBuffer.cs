using System.Buffers.Binary;
using System.Text;

namespace MediaServer.Mixer.Recording;

/// <summary>
/// A growable byte buffer that writes EBML elements (RFC 8794): an element is its ID (1-4
/// bytes, the length marker kept in the ID), its data size as a variable-length integer, then
/// its data.
/// <code>
///   ID          size (vint)                 data
///   1A 45 DF A3 | 1xxxxxxx / 01xxxxxx xx... | ...
/// </code>
/// Master elements whose size is not known up front get an 8-byte size, patched by
/// <see cref="EndMaster"/>; an 8-byte size is legal for any length (sizes need not be
/// minimal), so every element of a file ends with a known size and seeking players are happy.
/// Owned by one writer on one thread; it only allocates when it grows, so a reused buffer
/// settles at the largest cluster and then allocates nothing.
/// </summary>
public sealed class EbmlBuffer
{
    /// <summary>The largest data size an 8-byte vint can hold (2^56 - 2; all ones means "unknown").</summary>
    public const long MaxSize = (1L << 56) - 2;

    private byte[] _data;

    public EbmlBuffer(int capacity = 4096) => _data = new byte[Math.Max(16, capacity)];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _data.AsSpan(0, Length);

    public void Clear() => Length = 0;

    /// <summary>Bytes an element ID takes: the ID's own length marker says it (0x80.. 1 byte, 0x4000.. 2, ...).</summary>
    public static int IdLength(uint id) => id switch
    {
        >= 0x10000000 => 4,
        >= 0x200000 => 3,
        >= 0x4000 => 2,
        >= 0x80 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(id), $"0x{id:X} is not an EBML ID (no length marker)."),
    };

    /// <summary>The fewest bytes a data size needs as a vint (7 value bits per byte; all ones is reserved).</summary>
    public static int SizeLength(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSize);
        var length = 1;
        while (size >= (1L << (7 * length)) - 1)
        {
            length++;
        }

        return length;
    }

    /// <summary>Writes <paramref name="size"/> as a vint of exactly <paramref name="length"/> bytes (1-8): the marker bit, then the value big-endian.</summary>
    public static void WriteSize(Span<byte> destination, long size, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 8);
        if (size < 0 || size >= (1L << (7 * length)) - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"{size} does not fit a {length}-byte EBML size.");
        }

        var value = (ulong)size | (1UL << (7 * length));
        for (var i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }
    }

    public void WriteId(uint id)
    {
        var length = IdLength(id);
        var span = Grow(length);
        for (var i = length - 1; i >= 0; i--)
        {
            span[i] = (byte)id;
            id >>= 8;
        }
    }

    /// <summary>A data size as the shortest vint, or of <paramref name="length"/> bytes when given.</summary>
    public void WriteSize(long size, int length = 0)
    {
        length = length == 0 ? SizeLength(size) : length;
        WriteSize(Grow(length), size, length);
    }

    /// <summary>An unsigned integer element in the fewest bytes, or in exactly <paramref name="width"/> bytes (for values patched later).</summary>
    public void WriteUInt(uint id, ulong value, int width = 0)
    {
        if (width == 0)
        {
            width = 1;
            while (width < 8 && value >> (8 * width) != 0)
            {
                width++;
            }
        }

        WriteId(id);
        WriteSize(width);
        WriteBigEndian(Grow(width), value, width);
    }

    /// <summary>A float element as an 8-byte IEEE double (big-endian).</summary>
    public void WriteFloat(uint id, double value)
    {
        WriteId(id);
        WriteSize(8);
        BinaryPrimitives.WriteDoubleBigEndian(Grow(8), value);
    }

    public void WriteString(uint id, string value)
    {
        WriteId(id);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteSize(length);
        Encoding.UTF8.GetBytes(value, Grow(length));
    }

    public void WriteBinary(uint id, ReadOnlySpan<byte> value)
    {
        WriteId(id);
        WriteSize(value.Length);
        WriteRaw(value);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    public void WriteByte(byte value) => Grow(1)[0] = value;

    /// <summary>Starts a master element with an 8-byte size placeholder; returns where its data starts, for <see cref="EndMaster"/>.</summary>
    public int BeginMaster(uint id)
    {
        WriteId(id);
        Grow(8);
        return Length;
    }

    /// <summary>Patches the size of the master element begun at <paramref name="dataStart"/> to what was written since.</summary>
    public void EndMaster(int dataStart) => WriteSize(_data.AsSpan(dataStart - 8, 8), Length - dataStart, 8);

    /// <summary>Overwrites bytes already written (a value patched once it is known).</summary>
    public void Patch(int offset, ReadOnlySpan<byte> bytes) => bytes.CopyTo(_data.AsSpan(offset, bytes.Length));

    public static void WriteBigEndian(Span<byte> destination, ulong value, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }
    }

    private Span<byte> Grow(int count)
    {
        if (Length + count > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, Length + count));
        }

        var span = _data.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
