using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;

namespace MediaServer.Protocol.Tests.Properties;

/// <summary>
/// FsCheck generators for wire fields (full-range, unlike FsCheck's size-bounded integers) and
/// for damaged copies of valid packets.
/// </summary>
public static class PacketGen
{
    public static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(i => (byte)i);

    public static readonly Gen<bool> Bool = Gen.Elements(false, true);

    public static readonly Gen<ushort> UInt16 = Gen.Choose(0, 0xFFFF).Select(i => (ushort)i);

    public static readonly Gen<uint> UInt32 = Gen.Zip(UInt16, UInt16, (high, low) => ((uint)high << 16) | low);

    public static readonly Gen<ulong> UInt64 = Gen.Zip(UInt32, UInt32, (high, low) => ((ulong)high << 32) | low);

    public static Gen<byte[]> Bytes(int minLength, int maxLength) =>
        Gen.Choose(minLength, maxLength).SelectMany(length => Gen.ArrayOf(Byte, length));

    /// <summary>
    /// A valid packet damaged one way: a bit flipped, cut short, a 16-bit field overwritten
    /// (often a length), the length field at offset 2 (STUN, RTCP) rewritten, a few random
    /// bytes, or junk appended.
    /// </summary>
    public static Gen<byte[]> Mutations(byte[][] seeds) =>
        from seed in Gen.Elements(seeds)
        from kind in Gen.Choose(0, 5)
        from position in Gen.Choose(0, 4095)
        from bit in Gen.Choose(0, 7)
        from value in UInt16
        from extra in Bytes(1, 16)
        select Mutate(seed, kind, position, bit, value, extra);

    private static byte[] Mutate(byte[] seed, int kind, int position, int bit, ushort value, byte[] extra)
    {
        var data = (byte[])seed.Clone();
        switch (kind)
        {
            case 0:
                data[position % data.Length] ^= (byte)(1 << bit);
                return data;
            case 1:
                return data[..(position % data.Length)];
            case 2 when data.Length >= 2:
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(position % (data.Length - 1)), value);
                return data;
            case 3 when data.Length >= 4:
                // Small values are the interesting ones for a length: just past the end, just short.
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), (ushort)(value % 64));
                return data;
            case 4:
                for (var i = 0; i < extra.Length; i++)
                {
                    data[(position + (i * 7)) % data.Length] = extra[i];
                }

                return data;
            default:
                return [.. data, .. extra];
        }
    }
}
