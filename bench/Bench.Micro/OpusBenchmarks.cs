using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;

namespace MediaServer.Bench.Micro;

/// <summary>
/// One 20 ms mono frame through libopus at 32 kbit/s with FEC, the per-mix (encode) and
/// per-member (decode) cost of an Opus conference. Each wrapper call is paired with a bare
/// P/Invoke of opus_encode / opus_decode on the same native state (a raw pointer, no
/// SafeHandle, no checks) as the baseline, so the Ratio column is our layer's overhead.
/// The input is a ring of 50 frames of two drifting tones over noise, so the encoder never
/// settles into coding one frame over and over.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe partial class OpusBenchmarks
{
    private const int Ring = 50;
    private const int Frame = MixerFormat.FrameSamples;

    private OpusAudioEncoder _encoder = null!;
    private OpusAudioDecoder _decoder = null!;
    private short[] _input = null!;
    private byte[][] _packets = null!;
    private readonly byte[] _payload = new byte[1275];
    private readonly short[] _pcm = new short[Frame];
    private int _next;

    [Params(5, 10)]
    public int Complexity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _encoder = new OpusAudioEncoder(AudioCodecSettings.Opus(1, 32000, Complexity));
        _decoder = new OpusAudioDecoder(1);
        var random = new Random(5);
        _input = new short[Frame * Ring];
        for (var n = 0; n < _input.Length; n++)
        {
            var t = n / (double)MixerFormat.SampleRate;
            var tones = (5000 * Math.Sin(2 * Math.PI * (200 + (100 * t)) * t)) + (2500 * Math.Sin(2 * Math.PI * 1300 * t * (1 + (0.1 * Math.Sin(3 * t)))));
            _input[n] = (short)(tones + random.Next(-500, 500));
        }

        using var packetEncoder = new OpusAudioEncoder(AudioCodecSettings.Opus(1, 32000, Complexity));
        _packets = new byte[Ring][];
        for (var i = 0; i < Ring; i++)
        {
            var length = packetEncoder.Encode(_input.AsSpan(i * Frame, Frame), _payload);
            _packets[i] = _payload[..length];
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        _decoder.Dispose();
    }

    [BenchmarkCategory("Encode"), Benchmark(Description = "opus_encode, raw P/Invoke", Baseline = true)]
    public int EncodeRaw()
    {
        var frame = NextFrame();
        fixed (short* pcm = frame)
        fixed (byte* data = _payload)
        {
            return Raw.Encode(_encoder.Handle.DangerousGetHandle(), pcm, Frame, data, _payload.Length);
        }
    }

    [BenchmarkCategory("Encode"), Benchmark(Description = "OpusAudioEncoder.Encode")]
    public int Encode() => _encoder.Encode(NextFrame(), _payload);

    [BenchmarkCategory("Decode"), Benchmark(Description = "opus_decode, raw P/Invoke", Baseline = true)]
    public int DecodeRaw()
    {
        var packet = NextPacket();
        fixed (byte* data = packet)
        fixed (short* pcm = _pcm)
        {
            return Raw.Decode(_decoder.Handle.DangerousGetHandle(), data, packet.Length, pcm, Frame, 0);
        }
    }

    [BenchmarkCategory("Decode"), Benchmark(Description = "OpusAudioDecoder.Decode")]
    public int Decode() => _decoder.Decode(NextPacket(), _pcm);

    private ReadOnlySpan<short> NextFrame()
    {
        _next = _next + 1 == Ring ? 0 : _next + 1;
        return _input.AsSpan(_next * Frame, Frame);
    }

    private byte[] NextPacket()
    {
        _next = _next + 1 == Ring ? 0 : _next + 1;
        return _packets[_next];
    }

    /// <summary>The baseline: libopus with nothing of ours in between.</summary>
    private static partial class Raw
    {
        [LibraryImport("libopus.so.0", EntryPoint = "opus_encode")]
        internal static partial int Encode(nint encoder, short* pcm, int frameSize, byte* data, int maxDataBytes);

        [LibraryImport("libopus.so.0", EntryPoint = "opus_decode")]
        internal static partial int Decode(nint decoder, byte* data, int length, short* pcm, int frameSize, int decodeFec);
    }
}
