namespace MediaServer.Mixer.Video;

/// <summary>
/// What a <see cref="Vp8Encoder"/> produces: one canvas at one bitrate. Equal settings mean
/// one encode can feed every member that watches that canvas at that bitrate.
/// </summary>
/// <param name="Width">Picture width in pixels (even sizes are the norm; any ≥ 2 works).</param>
/// <param name="Height">Picture height in pixels.</param>
/// <param name="Fps">Frames per second the caller feeds; rate control spreads the bitrate over them.</param>
/// <param name="BitrateKbps">Target bitrate in kbit/s (CBR).</param>
public sealed record Vp8EncoderSettings(int Width, int Height, int Fps, int BitrateKbps)
{
    /// <summary>
    /// Encoder speed 0 (best) to 16 (fastest). Passed to libvpx as <c>-CpuUsed</c>, which pins
    /// the speed: libvpx's positive values instead tune the speed against the wall-clock time
    /// each frame took, which on a busy MCU makes every encoder chase the others' CPU use and
    /// makes output depend on load.
    /// </summary>
    public int CpuUsed { get; init; } = 8;

    /// <summary>A keyframe at least this often (frames), so a receiver that missed a request still recovers.</summary>
    public int KeyframeIntervalFrames { get; init; } = 300;

    /// <summary>Encoder threads (g_threads); 1 keeps one canvas on one core.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>VPX_ERROR_RESILIENT_DEFAULT: entropy contexts reset per frame, so a lost frame hurts less.</summary>
    public bool ErrorResilient { get; init; } = true;

    /// <summary>
    /// Let rate control skip a frame when its buffer runs dry (rc_dropframe_thresh 30, as WebRTC
    /// does) instead of overshooting the bitrate; <see cref="Vp8Encoder.Encode"/> then returns 0.
    /// </summary>
    public bool AllowFrameDropping { get; init; } = true;
}
