using MediaServer.Mixer.Tests.Codecs;
using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>Every VP8 call runs per frame or per packet: none may allocate once warmed up.</summary>
public sealed class Vp8AllocationTests
{
    private const int Width = 320;
    private const int Height = 180;

    [Fact]
    public void EncodeAllocatesNothing()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderSettings(Width, Height, 30, 400));
        var frames = new[] { Vp8TestPattern.Create(Width, Height, 0), Vp8TestPattern.Create(Width, Height, 1) };
        var output = new byte[encoder.MaxFrameLength];
        var n = 0L;
        AllocationProbe.AssertNoAllocation(() =>
        {
            encoder.Encode(frames[n % 2], n * 3000, forceKeyframe: n % 100 == 99, output, out _);
            n++;
        });
    }

    [Fact]
    public void DecodeAndReleaseAllocateNothing()
    {
        var stream = Vp8DecoderTests.Encode(Width, Height, 10);
        using var decoder = new Vp8Decoder();
        var n = 0;
        AllocationProbe.AssertNoAllocation(() =>
        {
            // Starts over at the keyframe, so every frame has its references.
            if (decoder.Decode(stream[n++ % stream.Length], out var picture) != Vp8DecodeResult.Decoded)
            {
                throw new InvalidOperationException("a frame did not decode");
            }

            decoder.Release(picture!);
        });
    }

    [Fact]
    public void PacketizePushAndTakeAllocateNothing()
    {
        var frame = new Vp8RtpStream().SyntheticFrame(keyframe: true, 5000);
        var packetizer = new Vp8Packetizer();
        var payloadBuffer = new byte[Vp8Packetizer.GetOutputLength(frame.Length, 1200)];
        var payloads = new Range[Vp8Packetizer.GetPacketCount(frame.Length, 1200)];
        var depacketizer = new Vp8Depacketizer(_ => { });
        var output = new byte[frame.Length];
        ushort sequence = 65000;
        var timestamp = 0u;
        var now = 0L;
        AllocationProbe.AssertNoAllocation(() =>
        {
            var count = packetizer.Packetize(frame, 1200, payloadBuffer, payloads);
            for (var i = 0; i < count; i++)
            {
                depacketizer.Push(payloadBuffer.AsSpan(payloads[i]), sequence++, timestamp, i == count - 1, now);
            }

            if (!depacketizer.TryTakeFrame(output, out _, out _, out _))
            {
                throw new InvalidOperationException("the frame did not come out");
            }

            timestamp += 3000;
            now += 33;
        });
    }
}
