using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;

namespace MediaServer.Bench.Load;

/// <summary>
/// Decodes a sample of the Opus payloads the server sends (one in N per peer) to prove they
/// are real audio, and whether they carry sound or silence. Decoding everything would cost
/// the client more than the server spends encoding it. One decoder shared by all receive
/// loops behind a lock: at one in fifty packets the lock is rarely contended, and a decoder
/// fed packets of many streams still tells a good packet from a corrupt one.
/// </summary>
internal sealed class DecodeCheck : IDisposable
{
    // Mean absolute sample value above which a frame counts as audible (about -50 dBFS).
    private const int AudibleMeanAbsolute = 100;

    private readonly Lock _lock = new();
    private readonly IAudioDecoder _decoder = AudioCodecFactory.CreateDecoder(AudioCodecKind.Opus, 1);
    private readonly short[] _pcm = new short[MixerFormat.FrameSamples * 6];
    private long _decoded;
    private long _errors;
    private long _audible;

    public long Decoded => Volatile.Read(ref _decoded);

    public long Errors => Volatile.Read(ref _errors);

    /// <summary>Decoded frames with sound in them (the mix of someone talking, or our own echo).</summary>
    public long Audible => Volatile.Read(ref _audible);

    public void Check(ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            int samples = _decoder.Decode(payload, _pcm);
            if (samples <= 0)
            {
                Volatile.Write(ref _errors, _errors + 1);
                return;
            }
            long sum = 0;
            foreach (short sample in _pcm.AsSpan(0, samples))
            {
                sum += Math.Abs((int)sample);
            }
            if (sum / samples >= AudibleMeanAbsolute)
            {
                Volatile.Write(ref _audible, _audible + 1);
            }
            Volatile.Write(ref _decoded, _decoded + 1);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _decoder.Dispose();
        }
    }
}
