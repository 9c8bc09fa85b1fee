using MediaServer.Mixer.Video;
using MediaServer.Protocol.Payload;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>RFC 7741 payloads from our packetizer: descriptor bytes, sizes, PictureID wrap.</summary>
public sealed class Vp8PacketizerTests
{
    [Fact]
    public void DescriptorsCarryStartBitAnd15BitPictureId()
    {
        var frame = Frame(2500);
        var packetizer = new Vp8Packetizer(initialPictureId: 0x1234);
        var (payloads, output) = Packetize(packetizer, frame, 1200);

        Assert.Equal(3, payloads.Length);
        //                  X.NS.PID  ILTK      M + PictureID (15 bits, big-endian)
        Assert.Equal("90" + "80" + "9234", Hex(output[payloads[0]][..4])); // X=1, S=1, PID=0; I=1; M=1, 0x1234
        Assert.Equal("80" + "80" + "9234", Hex(output[payloads[1]][..4])); // S=0 after the first packet
        Assert.Equal("80" + "80" + "9234", Hex(output[payloads[2]][..4]));
        Assert.Equal(0x1235, packetizer.PictureId);

        var (next, nextOutput) = Packetize(packetizer, frame[..100], 1200);
        Assert.Single(next);
        Assert.Equal("90809235", Hex(nextOutput[next[0]][..4]));
    }

    [Fact]
    public void PictureIdWrapsAfter7Fff()
    {
        var packetizer = new Vp8Packetizer(initialPictureId: 0x7FFE);
        var frame = Frame(50);
        Assert.Equal("9080FFFE", FirstDescriptor(packetizer, frame));
        Assert.Equal("9080FFFF", FirstDescriptor(packetizer, frame)); // 0x7FFF
        Assert.Equal("90808000", FirstDescriptor(packetizer, frame)); // back to 0, M still set
        Assert.Equal("90808001", FirstDescriptor(packetizer, frame));
    }

    [Theory]
    [InlineData(1, 1200)]
    [InlineData(1196, 1200)]
    [InlineData(1197, 1200)]
    [InlineData(5000, 1200)]
    [InlineData(30011, 1200)]
    [InlineData(777, 100)]
    [InlineData(3, 5)]
    public void PayloadsFitAreEvenAndJoinBackToTheFrame(int length, int maxPayload)
    {
        var frame = Frame(length);
        var packetizer = new Vp8Packetizer();
        var (payloads, output) = Packetize(packetizer, frame, maxPayload);

        Assert.Equal(Vp8Packetizer.GetPacketCount(length, maxPayload), payloads.Length);
        var joined = new List<byte>();
        var sizes = new List<int>();
        for (var i = 0; i < payloads.Length; i++)
        {
            var payload = output[payloads[i]];
            Assert.True(payload.Length <= maxPayload);
            Assert.True(Vp8PayloadDescriptor.TryParse(payload, out var d));
            Assert.Equal(i == 0, d.IsStartOfPartition);
            Assert.Equal(0, d.PartitionIndex);
            Assert.False(d.IsNonReference);
            Assert.True(d.HasPictureId && d.IsPictureId15Bit);
            Assert.Equal(0, d.PictureId);
            joined.AddRange(payload[d.HeaderLength..]);
            sizes.Add(payload.Length);
        }

        Assert.Equal(frame, joined.ToArray());
        Assert.True(sizes.Max() - sizes.Min() <= 1, "packets are within a byte of each other");
    }

    [Fact]
    public void EmptyFrameGivesNothingAndKeepsThePictureId()
    {
        var packetizer = new Vp8Packetizer(9);
        Assert.Equal(0, packetizer.Packetize([], 1200, new byte[10], new Range[1]));
        Assert.Equal(9, packetizer.PictureId);
    }

    [Fact]
    public void ShortBuffersAreRefused()
    {
        var packetizer = new Vp8Packetizer();
        var frame = Frame(3000);
        Assert.Throws<ArgumentException>(() => packetizer.Packetize(frame, 1200, new byte[3000], new Range[3]));
        Assert.Throws<ArgumentException>(() => packetizer.Packetize(frame, 1200, new byte[4000], new Range[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => packetizer.Packetize(frame, 4, new byte[4000], new Range[2]));
        Assert.Equal(0, packetizer.PictureId);
    }

    internal static (Range[] Payloads, byte[] Output) Packetize(Vp8Packetizer packetizer, byte[] frame, int maxPayload)
    {
        var output = new byte[Vp8Packetizer.GetOutputLength(frame.Length, maxPayload)];
        var payloads = new Range[Vp8Packetizer.GetPacketCount(frame.Length, maxPayload)];
        var count = packetizer.Packetize(frame, maxPayload, output, payloads);
        Assert.Equal(payloads.Length, count);
        Assert.Equal(output.Length, payloads[^1].End.Value);
        return (payloads, output);
    }

    private static string FirstDescriptor(Vp8Packetizer packetizer, byte[] frame)
    {
        var (payloads, output) = Packetize(packetizer, frame, 1200);
        return Hex(output[payloads[0]][..4]);
    }

    private static byte[] Frame(int length)
    {
        var frame = new byte[length];
        new Random(length).NextBytes(frame);
        return frame;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
