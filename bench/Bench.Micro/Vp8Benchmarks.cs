using BenchmarkDotNet.Attributes;
using MediaServer.Mixer.Video;

namespace MediaServer.Bench.Micro;

/// <summary>
/// The VP8 video path per frame: encoding one 1280x720 canvas (realtime, speed 8, 1.5 Mbit/s,
/// the per-canvas cost), decoding one 640x360 member frame (the per-member cost), and sending
/// one 720p frame through the packetizer and back through the depacketizer (a keyframe and a
/// typical delta frame). The pictures are a ring of 30 frames of a moving pattern (a sliding
/// gradient, a panning textured band, two boxes), so the encoder never sees a still picture.
/// </summary>
[MemoryDiagnoser]
public class Vp8Benchmarks
{
    private const int Ring = 30;
    private const int MaxPayload = 1200;

    private readonly I420Frame[] _canvas = new I420Frame[Ring];
    private readonly Range[] _payloads = new Range[256];
    private Vp8Encoder _encoder = null!;
    private Vp8Decoder _decoder = null!;
    private Vp8Depacketizer _depacketizer = null!;
    private readonly Vp8Packetizer _packetizer = new();
    private byte[][] _memberFrames = null!;
    private byte[] _keyframe720 = null!;
    private byte[] _delta720 = null!;
    private byte[] _encoded = null!;
    private byte[] _payloadBuffer = null!;
    private byte[] _reassembled = null!;
    private int _next;
    private long _pts;
    private ushort _sequence;
    private uint _timestamp;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Ring; i++)
        {
            _canvas[i] = new I420Frame(1280, 720);
            Draw(_canvas[i], i);
        }

        var settings = new Vp8EncoderSettings(1280, 720, 30, 1500) { CpuUsed = 8 };
        _encoder = new Vp8Encoder(settings);
        _encoded = new byte[_encoder.MaxFrameLength];

        // A 720p keyframe and the delta after it, from their own encoder.
        using (var encoder = new Vp8Encoder(settings))
        {
            _keyframe720 = _encoded.AsSpan(0, encoder.Encode(_canvas[0], 0, false, _encoded, out _)).ToArray();
            for (var i = 1; i < 10; i++)
            {
                _delta720 = _encoded.AsSpan(0, encoder.Encode(_canvas[i], i * 3000L, false, _encoded, out _)).ToArray();
            }
        }

        // A member's 640x360 stream: one keyframe, then deltas; the ring restarts at the keyframe.
        using (var member = new Vp8Encoder(new Vp8EncoderSettings(640, 360, 30, 600) { AllowFrameDropping = false }))
        {
            var picture = new I420Frame(640, 360);
            _memberFrames = new byte[Ring][];
            for (var i = 0; i < Ring; i++)
            {
                Draw(picture, i);
                _memberFrames[i] = _encoded.AsSpan(0, member.Encode(picture, i * 3000L, false, _encoded, out _)).ToArray();
            }
        }

        _decoder = new Vp8Decoder();
        _depacketizer = new Vp8Depacketizer(_ => { });
        _payloadBuffer = new byte[Vp8Packetizer.GetOutputLength(_encoded.Length, MaxPayload)];
        _reassembled = new byte[_encoded.Length];
        SendAndReceive(_keyframe720);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        _decoder.Dispose();
    }

    [Benchmark(Description = "Encode 1280x720 (speed 8, 1.5 Mbit/s)")]
    public int Encode720p()
    {
        var frame = _canvas[_next];
        _next = _next + 1 == Ring ? 0 : _next + 1;
        _pts += 3000;
        return _encoder.Encode(frame, _pts, false, _encoded, out _);
    }

    [Benchmark(Description = "Decode 640x360")]
    public Vp8DecodeResult Decode360p()
    {
        var frame = _memberFrames[_next];
        _next = _next + 1 == Ring ? 0 : _next + 1;
        var result = _decoder.Decode(frame, out var picture);
        if (picture is not null)
        {
            _decoder.Release(picture);
        }

        return result;
    }

    [Benchmark(Description = "Packetize + depacketize 720p keyframe")]
    public int PacketizeDepacketizeKeyframe() => SendAndReceive(_keyframe720);

    [Benchmark(Description = "Packetize + depacketize 720p delta frame")]
    public int PacketizeDepacketizeDelta() => SendAndReceive(_delta720);

    private int SendAndReceive(byte[] frame)
    {
        var count = _packetizer.Packetize(frame, MaxPayload, _payloadBuffer, _payloads);
        for (var i = 0; i < count; i++)
        {
            _depacketizer.Push(_payloadBuffer.AsSpan(_payloads[i]), _sequence++, _timestamp, i == count - 1, _now);
        }

        _timestamp += 3000;
        _now += 33;
        return _depacketizer.TryTakeFrame(_reassembled, out var length, out _, out _) ? length : throw new InvalidOperationException("no frame");
    }

    /// <summary>A sliding luma ramp, a band of blocky noise panning across it, two moving boxes, chroma ramps.</summary>
    private static void Draw(I420Frame frame, int index)
    {
        var random = new Random(7);
        var tile = new byte[64 * 64];
        random.NextBytes(tile);
        for (var row = 0; row < frame.Height; row++)
        {
            var line = frame.Y.Slice(row * frame.StrideY, frame.Width);
            for (var col = 0; col < line.Length; col++)
            {
                var luma = 16 + ((col + (index * 4) + (row / 2)) * 219 / 640 % 220);
                if (row > frame.Height / 3 && row < frame.Height * 2 / 3 && col > frame.Width / 4 && col < frame.Width * 3 / 4)
                {
                    luma = 40 + (tile[((row / 4) % 64 * 64) + (((col + (index * 3)) / 4) % 64)] * 175 / 255);
                }

                line[col] = (byte)luma;
            }
        }

        var box = frame.Height / 5;
        for (var row = frame.Height / 8; row < (frame.Height / 8) + box; row++)
        {
            frame.Y.Slice((row * frame.StrideY) + ((index * 7) % (frame.Width - box)), box).Fill(235);
            frame.Y.Slice(((row + (frame.Height / 2)) * frame.StrideY) + (frame.Width - box - ((index * 5) % (frame.Width - box))), box).Fill(40);
        }

        for (var row = 0; row < frame.ChromaHeight; row++)
        {
            var u = frame.U.Slice(row * frame.StrideUV, frame.ChromaWidth);
            for (var col = 0; col < u.Length; col++)
            {
                u[col] = (byte)(64 + ((col + index) * 128 / frame.ChromaWidth));
            }

            frame.V.Slice(row * frame.StrideUV, frame.ChromaWidth).Fill((byte)(64 + (row * 128 / frame.ChromaHeight)));
        }
    }
}
