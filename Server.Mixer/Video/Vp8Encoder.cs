using System.Runtime.InteropServices;
using MediaServer.Mixer.Interop;

namespace MediaServer.Mixer.Video;

/// <summary>
/// VP8 encoder (libvpx) for one canvas at one bitrate: realtime deadline, one pass, CBR, no
/// lag, error resilient, one token partition. Tuned like WebRTC's VP8 sender (quantizers 2-56,
/// a 1 s rate buffer starting at 0.5 s, 15 % overshoot) so browsers see what they are used to.
/// Owned by the canvas that encodes and used by its mixer thread only; <see cref="BitrateKbps"/>
/// may be changed between frames (REMB or receiver reports). Timestamps are in the 90 kHz RTP
/// video clock, so the canvas can pass its RTP timestamp (unwrapped to 64 bits) as pts.
/// </summary>
public sealed unsafe class Vp8Encoder : IDisposable
{
    /// <summary>The RTP clock for video (RFC 7741 §6.1); the encoder's timebase is 1/90000 s.</summary>
    public const int ClockRate = 90000;

    private readonly VpxCodecHandle _codec;
    private readonly VpxEncoderConfig* _config;
    private CULong _frameDuration;

    public Vp8Encoder(Vp8EncoderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Width, 2, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Height, 2, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.Width, 16383, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.Height, 16383, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Fps, 1, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.Fps, 120, nameof(settings));
        CheckBitrate(settings.BitrateKbps);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.CpuUsed, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.CpuUsed, 16, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.KeyframeIntervalFrames, 1, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Threads, 1, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.Threads, 16, nameof(settings));
        LibVpx.EnsureAvailable();

        Settings = settings;
        _frameDuration = new CULong((nuint)(ClockRate / settings.Fps));
        _codec = VpxCodecHandle.Allocate(sizeof(VpxEncoderConfig));
        try
        {
            _config = (VpxEncoderConfig*)_codec.Config;
            var iface = LibVpxNative.Vp8EncoderInterface();
            var result = LibVpxNative.EncoderConfigDefault(iface, _config, 0);
            if (result != LibVpxNative.Ok)
            {
                throw new InvalidOperationException($"vpx_codec_enc_config_default failed: {LibVpx.ErrorText(result)}.");
            }

            Configure(_config, settings);
            result = LibVpxNative.EncoderInit(_codec, iface, _config, default, LibVpxNative.EncoderAbiVersion);
            if (result != LibVpxNative.Ok)
            {
                throw new InvalidOperationException($"vpx_codec_enc_init_ver failed: {LibVpx.ErrorText(_codec)}.");
            }

            Control(LibVpxNative.Vp8eSetCpuUsed, -settings.CpuUsed);

            // Canvases are rendered, not filmed: there is no sensor noise to remove.
            Control(LibVpxNative.Vp8eSetNoiseSensitivity, 0);

            // Skip blocks that did not change at all (tiles of still members, backgrounds).
            Control(LibVpxNative.Vp8eSetStaticThreshold, 1);

            // One partition: the packetizer sends the frame as one partition (PID 0), and a
            // conference canvas decodes fast enough in browsers without partition threads.
            Control(LibVpxNative.Vp8eSetTokenPartitions, LibVpxNative.Vp8OneTokenPartition);

            // Cap keyframes at what the rate buffer can absorb (WebRTC's MaxIntraTarget:
            // optimal buffer ms * 0.5 * fps / 10, at least 300 %), so a keyframe does not burst.
            Control(LibVpxNative.Vp8eSetMaxIntraBitratePct, Math.Max(300, (int)(_config->BufferOptimalSize * 0.5 * settings.Fps / 10)));
        }
        catch
        {
            _codec.Dispose();
            throw;
        }
    }

    public Vp8EncoderSettings Settings { get; private set; }

    /// <summary>
    /// Target bitrate in kbit/s (10 to 100000); takes effect from the next frame. Changes
    /// <see cref="Settings"/>. Lower it when REMB or receiver reports say the path is narrower.
    /// </summary>
    public int BitrateKbps
    {
        get => Settings.BitrateKbps;
        set
        {
            CheckBitrate(value);
            if (value == Settings.BitrateKbps)
            {
                return;
            }

            _config->TargetBitrate = (uint)value;
            var result = LibVpxNative.EncoderConfigSet(_codec, _config);
            if (result != LibVpxNative.Ok)
            {
                throw new InvalidOperationException($"vpx_codec_enc_config_set failed: {LibVpx.ErrorText(_codec)}.");
            }

            Settings = Settings with { BitrateKbps = value };
        }
    }

    /// <summary>
    /// Frames per second the caller feeds (1 to 120); takes effect from the next frame. Rate
    /// control is told through each frame's duration (90000 / fps), so a lower rate spreads the
    /// same bitrate over fewer, larger frames instead of starving them. Changes <see cref="Settings"/>.
    /// </summary>
    public int Fps
    {
        get => Settings.Fps;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Fps));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 120, nameof(Fps));
            if (value == Settings.Fps)
            {
                return;
            }

            _frameDuration = new CULong((nuint)(ClockRate / value));
            Control(LibVpxNative.Vp8eSetMaxIntraBitratePct, Math.Max(300, (int)(_config->BufferOptimalSize * 0.5 * value / 10)));
            Settings = Settings with { Fps = value };
        }
    }

    /// <summary>
    /// The most bytes one frame can take: libvpx's own output buffer for VP8 is w * h * 3 bytes,
    /// at least 32 KiB (vp8_cx_iface.c), so an output span this long never overflows.
    /// </summary>
    public int MaxFrameLength => Math.Max(Settings.Width * Settings.Height * 3, 32768);

    /// <summary>
    /// Encodes one picture into <paramref name="output"/> and returns the frame's length, or 0
    /// when rate control dropped the frame. <paramref name="pts"/> is in 90 kHz units and must
    /// increase. The frame is read during the call only. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The frame's size differs from the settings, or the output is too short (see <see cref="MaxFrameLength"/>).</exception>
    public int Encode(I420Frame frame, long pts, bool forceKeyframe, Span<byte> output, out bool keyframe)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(_codec.IsClosed, this);
        if (frame.Width != Settings.Width || frame.Height != Settings.Height)
        {
            throw new ArgumentException($"The encoder takes {Settings.Width}x{Settings.Height} frames, not {frame.Width}x{frame.Height}.", nameof(frame));
        }

        // Described by hand rather than with vpx_img_wrap: our frames pad luma and chroma rows
        // to 32 bytes each, which wrap (one stride rule for all planes) cannot express.
        VpxImage image = default;
        image.Format = LibVpxNative.ImageFormatI420;
        image.Width = (uint)((frame.Width + 1) & ~1);
        image.Height = (uint)((frame.Height + 1) & ~1);
        image.BitDepth = 8;
        image.DisplayWidth = (uint)frame.Width;
        image.DisplayHeight = (uint)frame.Height;
        image.ChromaShiftX = 1;
        image.ChromaShiftY = 1;
        image.PlaneY = (byte*)frame.AddressY;
        image.PlaneU = (byte*)frame.AddressU;
        image.PlaneV = (byte*)frame.AddressV;
        image.Stride[0] = frame.StrideY;
        image.Stride[1] = frame.StrideUV;
        image.Stride[2] = frame.StrideUV;
        image.BitsPerSample = 12;

        var flags = new CLong(forceKeyframe ? (nint)LibVpxNative.EncodeForceKeyframe : 0);
        var result = LibVpxNative.Encode(_codec, &image, pts, _frameDuration, flags, new CULong(LibVpxNative.DeadlineRealtime));
        GC.KeepAlive(frame);
        if (result != LibVpxNative.Ok)
        {
            throw new InvalidOperationException($"vpx_codec_encode failed: {LibVpx.ErrorText(_codec)}.");
        }

        // Without VPX_CODEC_USE_OUTPUT_PARTITION VP8 gives one packet per frame; concatenating
        // keeps this right should a build split it anyway.
        keyframe = false;
        var length = 0;
        var needed = 0;
        nint iterator = 0;
        VpxEncodedPacket* packet;
        while ((packet = LibVpxNative.GetEncodedData(_codec, &iterator)) != null)
        {
            if (packet->Kind != LibVpxNative.PacketKindFrame)
            {
                continue;
            }

            var size = (int)packet->FrameSize;
            needed += size;
            if (needed > output.Length)
            {
                // Keep draining so the next frame starts clean, then report.
                continue;
            }

            new ReadOnlySpan<byte>(packet->FrameBuffer, size).CopyTo(output[length..]);
            length += size;
            keyframe |= (packet->FrameFlags & LibVpxNative.FrameIsKey) != 0;
        }

        if (needed > output.Length)
        {
            throw new ArgumentException($"The frame takes {needed} bytes; the output holds {output.Length}.", nameof(output));
        }

        return length;
    }

    public void Dispose() => _codec.Dispose();

    private static void Configure(VpxEncoderConfig* config, Vp8EncoderSettings settings)
    {
        config->Threads = (uint)settings.Threads;
        config->Width = (uint)settings.Width;
        config->Height = (uint)settings.Height;
        config->TimebaseNumerator = 1;
        config->TimebaseDenominator = ClockRate;
        config->ErrorResilient = settings.ErrorResilient ? LibVpxNative.ErrorResilientDefault : 0;
        config->Pass = LibVpxNative.OnePass;
        config->LagInFrames = 0;

        config->EndUsage = LibVpxNative.RateControlCbr;
        config->TargetBitrate = (uint)settings.BitrateKbps;
        config->DropFrameThreshold = settings.AllowFrameDropping ? 30u : 0u;
        config->ResizeAllowed = 0;
        config->MinQuantizer = 2;
        config->MaxQuantizer = 56;
        config->UndershootPercent = 100;
        config->OvershootPercent = 15;
        config->BufferInitialSize = 500;
        config->BufferOptimalSize = 600;
        config->BufferSize = 1000;

        config->KeyframeMode = LibVpxNative.KeyframesAuto;
        config->KeyframeMinDistance = 0;
        config->KeyframeMaxDistance = (uint)settings.KeyframeIntervalFrames;
    }

    private static void CheckBitrate(int kbps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kbps, 10, "BitrateKbps");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(kbps, 100000, "BitrateKbps");
    }

    private void Control(int id, int value)
    {
        var result = LibVpxNative.Control(_codec, id, value);
        if (result != LibVpxNative.Ok)
        {
            throw new InvalidOperationException($"vpx_codec_control_({id}) failed: {LibVpx.ErrorText(_codec)}.");
        }
    }
}
