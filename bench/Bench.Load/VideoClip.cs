using MediaServer.Mixer.Video;

namespace MediaServer.Bench.Load;

/// <summary>
/// Three seconds of a 640x360 test pattern at 30 fps, VP8-encoded once at start: a background
/// of one colour (the member's colour class) with a gradient and soft static stripes, a white
/// box travelling a closed loop and a dark band sweeping across. Members replay the frames, so
/// the run pays for no encoding while it measures; the server still decodes real VP8 of webcam
/// size, which is what costs it.
/// <para>
/// No per-frame noise: a first version added random grain to every picture, which made each
/// member's 500 kbit/s stream, and the 3x3 canvas made of nine of them, as hard to code as
/// static on a television; the canvas encoder (CBR with frame dropping) then dropped almost
/// every frame. A browser denoises its camera before encoding, so what reaches an MCU looks
/// like this pattern far more than like grain, and spends less than its nominal bitrate on a
/// simple scene (see <see cref="DeltaKbps"/>).
/// </para>
/// <para>
/// The loop: the keyframe shows picture 0, the deltas pictures 1 to <see cref="LoopFrames"/>,
/// and picture <see cref="LoopFrames"/> is picture 0 again (the box's path and the band's sweep
/// repeat with that period). A sender plays the keyframe, then the deltas, then
/// delta 1 again: delta 1 was coded against picture 0 and the decoder then holds (the coded
/// version of) the same picture, so the loop decodes without errors and with barely a seam.
/// After a keyframe request the sender plays the keyframe and goes on from delta 1.
/// </para>
/// Immutable once built; read by the pacer thread.
/// </summary>
internal sealed class VideoClip
{
    public const int Width = 640;
    public const int Height = 360;
    public const int Fps = 30;
    public const int BitrateKbps = 500;
    public const int LoopFrames = 3 * Fps;

    /// <summary>The colour classes members cycle through (their index modulo the count).</summary>
    public const int Classes = 4;

    private const int BoxSize = 96;
    private const int BandWidth = 40;

    private static readonly YuvColor[] Backgrounds =
    [
        YuvColor.FromRgb(180, 40, 40),
        YuvColor.FromRgb(40, 150, 60),
        YuvColor.FromRgb(40, 70, 180),
        YuvColor.FromRgb(190, 170, 40),
    ];

    private VideoClip(int colourClass, byte[] keyframe, byte[][] deltas, int deltaKeyframes)
    {
        ColourClass = colourClass;
        Keyframe = keyframe;
        Deltas = deltas;
        DeltaKeyframes = deltaKeyframes;
    }

    public int ColourClass { get; }

    /// <summary>Picture 0, intra-coded: the first frame a sender plays and its answer to PLI and FIR.</summary>
    public byte[] Keyframe { get; }

    /// <summary>Pictures 1 to <see cref="LoopFrames"/>, in order.</summary>
    public IReadOnlyList<byte[]> Deltas { get; }

    /// <summary>Deltas the encoder nevertheless made keyframes (it may on a scene cut); normally 0.</summary>
    public int DeltaKeyframes { get; }

    /// <summary>The largest frame, for packetizing buffers.</summary>
    public int MaxFrameBytes => Math.Max(Keyframe.Length, Deltas.Max(d => d.Length));

    public double MeanDeltaBytes => Deltas.Average(d => d.Length);

    /// <summary>What the loop of deltas costs on the wire, in kbit/s (payload only).</summary>
    public double DeltaKbps => MeanDeltaBytes * 8 * Fps / 1000;

    /// <summary>One clip per colour class, encoded now (about a second of CPU for all of them).</summary>
    public static IReadOnlyList<VideoClip> CreateSet()
    {
        var clips = new VideoClip[Classes];
        for (int i = 0; i < Classes; i++)
        {
            clips[i] = Create(i);
        }
        return clips;
    }

    private static VideoClip Create(int colourClass)
    {
        var settings = new Vp8EncoderSettings(Width, Height, Fps, BitrateKbps)
        {
            // Every 33 ms slot of the schedule needs a frame: a browser's encoder may drop one,
            // but a replayed loop with holes would send less than a webcam does.
            AllowFrameDropping = false,
            // Only the first frame is intra; the loop must not carry a keyframe the server did not ask for.
            KeyframeIntervalFrames = 10_000,
        };
        var picture = new I420Frame(Width, Height);
        using var encoder = new Vp8Encoder(settings);
        byte[] output = new byte[encoder.MaxFrameLength];
        byte[]? keyframe = null;
        var deltas = new byte[LoopFrames][];
        int deltaKeyframes = 0;
        for (int frame = 0; frame <= LoopFrames; frame++)
        {
            Draw(picture, colourClass, frame % LoopFrames);
            int length = encoder.Encode(picture, frame * (Vp8Encoder.ClockRate / Fps), forceKeyframe: frame == 0, output, out bool isKey);
            if (length <= 0)
            {
                throw new InvalidOperationException($"the VP8 encoder gave no frame for picture {frame} of the test pattern");
            }
            byte[] encoded = output.AsSpan(0, length).ToArray();
            if (frame == 0)
            {
                keyframe = encoded;
            }
            else
            {
                deltas[frame - 1] = encoded;
                deltaKeyframes += isKey ? 1 : 0;
            }
        }
        return new VideoClip(colourClass, keyframe!, deltas, deltaKeyframes);
    }

    /// <summary>Picture <paramref name="frame"/> (0 to LoopFrames - 1) of the pattern of a colour class.</summary>
    private static void Draw(I420Frame picture, int colourClass, int frame)
    {
        YuvColor background = Backgrounds[colourClass % Backgrounds.Length];
        picture.U.Fill(background.U);
        picture.V.Fill(background.V);

        // The band sweeps left to right once per loop, wrapping, so it too repeats with the loop.
        int bandX = frame * Width / LoopFrames;
        Span<byte> y = picture.Y;
        for (int row = 0; row < Height; row++)
        {
            Span<byte> line = y.Slice(row * picture.StrideY, Width);
            // A vertical gradient and soft stripes give the encoder texture to code, and motion
            // over texture to estimate, without noise it could never predict.
            int baseLuma = background.Y - 24 + 48 * row / Height;
            for (int x = 0; x < Width; x++)
            {
                int stripes = (int)(10 * Math.Sin(x / 9.0) * Math.Cos(row / 13.0));
                int luma = baseLuma + stripes;
                if ((x - bandX + Width) % Width < BandWidth)
                {
                    luma -= 60;
                }
                line[x] = (byte)Math.Clamp(luma, 16, 235);
            }
        }

        // The box goes round an ellipse once per loop, so picture LoopFrames equals picture 0.
        double angle = 2 * Math.PI * frame / LoopFrames;
        int boxX = (int)((Width - BoxSize) / 2.0 * (1 + 0.8 * Math.Cos(angle)));
        int boxY = (int)((Height - BoxSize) / 2.0 * (1 + 0.8 * Math.Sin(angle)));
        for (int row = boxY; row < boxY + BoxSize; row++)
        {
            y.Slice(row * picture.StrideY + boxX, BoxSize).Fill(YuvColor.White.Y);
        }
        int chromaX = boxX / 2;
        int chromaSize = BoxSize / 2;
        for (int row = boxY / 2; row < (boxY + BoxSize) / 2; row++)
        {
            picture.U.Slice(row * picture.StrideUV + chromaX, chromaSize).Fill(128);
            picture.V.Slice(row * picture.StrideUV + chromaX, chromaSize).Fill(128);
        }
    }
}
