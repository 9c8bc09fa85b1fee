using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>One RTP packet of a VP8 stream, as the depacketizer receives it.</summary>
internal sealed record Vp8RtpPacket(byte[] Payload, ushort Sequence, uint Timestamp, bool Marker);

/// <summary>
/// A sender for depacketizer tests: turns VP8 frames (real or synthetic) into RTP packets with
/// running sequence numbers and 90 kHz timestamps, through our own packetizer.
/// </summary>
internal sealed class Vp8RtpStream(ushort firstSequence = 1000, int maxPayload = 1200)
{
    private readonly Vp8Packetizer _packetizer = new(initialPictureId: 77);
    private readonly Random _random = new(3);
    private ushort _sequence = firstSequence;
    private uint _timestamp = 123456;

    /// <summary>A synthetic frame: random bytes whose first byte has the P bit (0 = key) set as asked.</summary>
    public byte[] SyntheticFrame(bool keyframe, int length)
    {
        var frame = new byte[length];
        _random.NextBytes(frame);
        frame[0] = (byte)(keyframe ? frame[0] & 0xFE : frame[0] | 0x01);
        return frame;
    }

    /// <summary>The packets of one frame, in sending order; the timestamp then moves on by a 30 fps frame.</summary>
    public Vp8RtpPacket[] Packets(byte[] frame)
    {
        var output = new byte[Vp8Packetizer.GetOutputLength(frame.Length, maxPayload)];
        var ranges = new Range[Vp8Packetizer.GetPacketCount(frame.Length, maxPayload)];
        var count = _packetizer.Packetize(frame, maxPayload, output, ranges);
        var packets = new Vp8RtpPacket[count];
        for (var i = 0; i < count; i++)
        {
            packets[i] = new Vp8RtpPacket(output[ranges[i]], _sequence++, _timestamp, i == count - 1);
        }

        _timestamp += 3000;
        return packets;
    }
}
