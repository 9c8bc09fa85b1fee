using MediaServer.Protocol.Payload;

namespace MediaServer.Mixer.Video;

/// <summary>
/// Splits encoded VP8 frames into RTP payloads (RFC 7741 §4), each starting with this
/// 4-byte payload descriptor (§4.2):
/// <code>
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |X|R|N|S|R| PID |   X = 1, N = 0, S = 1 on a frame's first packet only, PID = 0
///      +-+-+-+-+-+-+-+-+
///      |I|L|T|K| RSV   |   I = 1: a PictureID follows; no TL0PICIDX, TID or KEYIDX
///      +-+-+-+-+-+-+-+-+
///      |M| PictureID   |   M = 1: the PictureID is 15 bits, high bits here
///      +-+-+-+-+-+-+-+-+
///      |   PictureID   |   low 8 bits
///      +-+-+-+-+-+-+-+-+
/// </code>
/// The whole frame is sent as partition 0 (the encoder makes one token partition and
/// receivers only need S on the first packet). Packets are made about equal in size rather
/// than full-then-remainder, so no tiny last packet rides alone. The PictureID goes up by one
/// per frame and wraps after 0x7FFF, which lets receivers spot a lost frame even when all its
/// packets vanished. The caller sets the RTP marker on the last payload and gives all of a
/// frame's payloads one timestamp. Used by the one thread that encodes the canvas.
/// </summary>
public sealed class Vp8Packetizer
{
    /// <summary>Bytes of descriptor in front of every payload.</summary>
    public const int DescriptorLength = 4;

    /// <summary>The RTP payload size that keeps a packet with SRTP and header extensions under a 1500-byte MTU.</summary>
    public const int DefaultMaxPayload = 1200;

    private const int PictureIdModulus = 0x8000;

    /// <param name="initialPictureId">The first frame's PictureID (0-0x7FFF); senders usually start at a random one.</param>
    public Vp8Packetizer(int initialPictureId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialPictureId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(initialPictureId, PictureIdModulus);
        PictureId = initialPictureId;
    }

    /// <summary>The PictureID the next frame will carry.</summary>
    public int PictureId { get; private set; }

    /// <summary>How many payloads a frame of <paramref name="frameLength"/> bytes becomes.</summary>
    public static int GetPacketCount(int frameLength, int maxPayload)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameLength);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxPayload, DescriptorLength);
        var room = maxPayload - DescriptorLength;
        return (frameLength + room - 1) / room;
    }

    /// <summary>Bytes of <c>output</c> that <see cref="Packetize"/> fills for such a frame.</summary>
    public static int GetOutputLength(int frameLength, int maxPayload) =>
        frameLength + (GetPacketCount(frameLength, maxPayload) * DescriptorLength);

    /// <summary>
    /// Writes the payloads for one frame back to back into <paramref name="output"/> and their
    /// places into <paramref name="payloads"/>; returns how many. An empty frame gives none and
    /// uses no PictureID. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> or <paramref name="payloads"/> is too short (see <see cref="GetOutputLength"/>, <see cref="GetPacketCount"/>).</exception>
    public int Packetize(ReadOnlySpan<byte> frame, int maxPayload, Span<byte> output, Span<Range> payloads)
    {
        var count = GetPacketCount(frame.Length, maxPayload);
        if (count == 0)
        {
            return 0;
        }

        if (payloads.Length < count)
        {
            throw new ArgumentException($"The frame needs {count} payloads; room for {payloads.Length}.", nameof(payloads));
        }

        if (output.Length < frame.Length + (count * DescriptorLength))
        {
            throw new ArgumentException($"The payloads take {frame.Length + (count * DescriptorLength)} bytes; the output holds {output.Length}.", nameof(output));
        }

        // Spread the bytes evenly: the first (length % count) packets carry one byte more.
        var share = frame.Length / count;
        var extra = frame.Length % count;
        var pictureId = PictureId;
        var read = 0;
        var written = 0;
        for (var i = 0; i < count; i++)
        {
            var start = written;
            Vp8PayloadDescriptor.TryWrite(output[written..], startOfPartition: i == 0, partitionIndex: 0, nonReference: false, pictureId, out var descriptorLength);
            written += descriptorLength;
            var chunk = share + (i < extra ? 1 : 0);
            frame.Slice(read, chunk).CopyTo(output[written..]);
            read += chunk;
            written += chunk;
            payloads[i] = new Range(start, written);
        }

        PictureId = (pictureId + 1) % PictureIdModulus;
        return count;
    }
}
