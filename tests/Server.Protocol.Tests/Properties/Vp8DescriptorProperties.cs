using FsCheck;
using FsCheck.Fluent;
using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Properties;

/// <summary>
/// The VP8 payload descriptor (RFC 7741 §4.2) on its own: generated descriptor-shaped bytes and
/// damaged valid descriptors. Nothing throws; whatever parses stays inside the input, writes
/// back in exactly <see cref="Vp8PayloadDescriptor.HeaderLength"/> bytes, and that parses to the
/// same descriptor (reserved bits and the unused half of the T/K byte are the only losses).
/// </summary>
public class Vp8DescriptorProperties
{
    /// <summary>Every extension shape: none, empty X, 7- and 15-bit PictureID, TL0PICIDX, T, K, T+K.</summary>
    private static readonly byte[][] Seeds =
    [
        [0x10, 0x9d, 0x01, 0x2a],
        [0x90, 0x00, 0x9d],
        [0x90, 0x80, 0x05, 0x00],
        [0x90, 0x80, 0x81, 0x02, 0x00],
        [0xb0, 0xf0, 0x92, 0x34, 0x05, 0xa3, 0x51],
        [0x80, 0x40, 0x07, 0x00],
        [0x87, 0x20, 0xc0],
        [0x85, 0x10, 0x1f],
        [0xfb, 0xff, 0xff, 0xff, 0xff, 0xff],
    ];

    [Fact]
    public void GeneratedDescriptorsNeverThrowAndReadBack()
    {
        // The first byte with X set half of the time and the second built from I/L/T/K, so the
        // optional fields and the "ends inside the descriptor" paths are all reached.
        var gen =
            from first in PacketGen.Byte
            from extended in PacketGen.Bool
            from flags in Gen.Choose(0, 15)
            from reserved in Gen.Choose(0, 15)
            from rest in PacketGen.Bytes(0, 8)
            select (byte[])[(byte)(extended ? first | 0x80 : first), (byte)((flags << 4) | reserved), .. rest];
        Check.One(PropertyRuns.Config, Prop.ForAll(Gen.OneOf(gen, PacketGen.Bytes(0, 12)).ToArbitrary(), (byte[] data) => Probe(data)));
    }

    [Fact]
    public void MutatedDescriptorsNeverThrowAndReadBack() =>
        Check.One(PropertyRuns.Config, Prop.ForAll(PacketGen.Mutations(Seeds).ToArbitrary(), (byte[] data) => Probe(data)));

    private static void Probe(byte[] data)
    {
        if (!Vp8PayloadDescriptor.TryParse(data, out var descriptor))
        {
            // Only an input that ends inside the descriptor is refused, and at most 6 bytes can.
            Assert.True(data.Length < 6, Convert.ToHexString(data));
            return;
        }

        Assert.InRange(descriptor.HeaderLength, 1, Math.Min(6, data.Length));
        Assert.True(descriptor.PartitionIndex <= 7);
        Assert.InRange(descriptor.PictureId, 0, 0x7FFF);
        Assert.InRange(descriptor.TemporalLayerIndex, 0, 3);
        Assert.InRange(descriptor.KeyIndex, 0, 31);

        Span<byte> written = stackalloc byte[8];
        Assert.True(descriptor.TryWrite(written, out var length));
        Assert.Equal(descriptor.HeaderLength, length);
        Assert.False(descriptor.TryWrite(written[..(length - 1)], out _));
        Assert.True(Vp8PayloadDescriptor.TryParse(written[..length], out var again));
        Assert.Equal(descriptor, again);

        // What follows is the VP8 payload header; its readers take any bytes.
        var after = data.AsSpan(descriptor.HeaderLength);
        Vp8PayloadDescriptor.IsKeyFrame(after);
        if (Vp8PayloadDescriptor.TryGetKeyFrameSize(after, out var width, out var height))
        {
            Assert.InRange(width, 0, 0x3FFF);
            Assert.InRange(height, 0, 0x3FFF);
        }
    }
}
