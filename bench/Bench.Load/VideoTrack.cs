using System.Security.Cryptography;
using MediaServer.Mixer.Video;

namespace MediaServer.Bench.Load;

/// <summary>
/// The video half of one simulated browser (<c>--video</c>): what it sends (its replay
/// position in a <see cref="VideoClip"/>, its VP8 packetizer, SSRC and sequence numbers) and
/// what it learns from the canvas the server sends back (frames by marker bit, loss by
/// sequence gaps, and for a few members a decode check). Owned by its <see cref="AudioPeer"/>,
/// which does the RTP header, SRTP and the socket. Threads: the pacer thread sends; the
/// receive loop thread receives and sets <see cref="RequestKeyframe"/>; the sampler reads
/// counters.
/// </summary>
internal sealed class VideoTrack : IDisposable
{
    public const int MaxPayload = Vp8Packetizer.DefaultMaxPayload;
    /// <summary>RTP ticks per frame of the 90 kHz video clock at the clip's 30 fps.</summary>
    public const uint TimestampStep = (uint)(Vp8Encoder.ClockRate / VideoClip.Fps);

    private readonly VideoClip _clip;
    private readonly Vp8Packetizer _packetizer = new(RandomNumberGenerator.GetInt32(0x8000));
    private readonly byte[] _payloads;
    private readonly Range[] _ranges;
    // 0 plays the keyframe; 1..LoopFrames the deltas.
    private int _position;
    private int _keyframeWanted = 1;
    private ushort _sequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);

    // Pacer counters.
    private long _framesSent;
    private long _keyframesSent;

    // Receive loop counters.
    private long _framesReceived;
    private long _pliReceived;
    private long _firReceived;

    public VideoTrack(uint ssrc, VideoClip clip, VideoDecodeCheck? decodeCheck)
    {
        Ssrc = ssrc;
        _clip = clip;
        DecodeCheck = decodeCheck;
        int longest = clip.MaxFrameBytes;
        _payloads = new byte[Vp8Packetizer.GetOutputLength(longest, MaxPayload)];
        _ranges = new Range[Vp8Packetizer.GetPacketCount(longest, MaxPayload)];
    }

    public uint Ssrc { get; }

    /// <summary>VP8's payload type from the answer (the server sends the canvas with it too).</summary>
    public byte PayloadType { get; set; } = 96;

    /// <summary>Decodes a sample of the canvas this member receives; null for most members.</summary>
    public VideoDecodeCheck? DecodeCheck { get; }

    /// <summary>The canvas as RTP: loss from sequence gaps (what the server sent us, not what we sent).</summary>
    public RtpReceiveStatistics Received { get; } = new(Vp8Encoder.ClockRate);

    public long FramesSent => Volatile.Read(ref _framesSent);

    public long KeyframesSent => Volatile.Read(ref _keyframesSent);

    /// <summary>Canvas frames received: packets with the marker bit (the last of each frame).</summary>
    public long FramesReceived => Volatile.Read(ref _framesReceived);

    public long PliReceived => Volatile.Read(ref _pliReceived);

    public long FirReceived => Volatile.Read(ref _firReceived);

    /// <summary>The server asked for a keyframe (PLI or FIR for our SSRC): the next frame sent is one. Receive loop thread.</summary>
    public void RequestKeyframe(bool fir)
    {
        if (fir)
        {
            Volatile.Write(ref _firReceived, _firReceived + 1);
        }
        else
        {
            Volatile.Write(ref _pliReceived, _pliReceived + 1);
        }
        Volatile.Write(ref _keyframeWanted, 1);
    }

    /// <summary>
    /// Cuts the next frame of the replay into RTP payloads (descriptor and VP8 data) and returns
    /// how many; <see cref="Payload"/> gives each. The caller sets the marker on the last. Pacer thread.
    /// </summary>
    public int NextFrame()
    {
        byte[] frame;
        if (Interlocked.Exchange(ref _keyframeWanted, 0) == 1)
        {
            frame = _clip.Keyframe;
            _position = 1;
            Volatile.Write(ref _keyframesSent, _keyframesSent + 1);
        }
        else
        {
            frame = _clip.Deltas[_position - 1];
            _position = _position == VideoClip.LoopFrames ? 1 : _position + 1;
        }
        Volatile.Write(ref _framesSent, _framesSent + 1);
        return _packetizer.Packetize(frame, MaxPayload, _payloads, _ranges);
    }

    public ReadOnlySpan<byte> Payload(int index) => _payloads.AsSpan(_ranges[index]);

    /// <summary>The next sequence number of our video stream. Pacer thread.</summary>
    public ushort NextSequence() => _sequence++;

    /// <summary>One canvas packet's header seen (before SRTP); counts frames by the marker. Receive loop thread.</summary>
    public void Record(uint ssrc, ushort sequence, uint timestamp, bool marker, long arrival)
    {
        Received.Record(ssrc, sequence, timestamp, arrival);
        if (marker)
        {
            Volatile.Write(ref _framesReceived, _framesReceived + 1);
        }
    }

    public void Dispose() => DecodeCheck?.Dispose();
}
