using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// The libvpx entry points and constants we use for VP8 (vpx_codec.h, vpx_encoder.h,
/// vpx_decoder.h, vpx_image.h, vp8cx.h, vp8dx.h of libvpx 1.12, Debian libvpx7). Debian ships
/// only the versioned soname at run time (libvpx.so comes with -dev), so that is the name we
/// import. The structs passed by pointer are <see cref="VpxEncoderConfig"/>,
/// <see cref="VpxImage"/>, <see cref="VpxEncodedPacket"/>, <see cref="VpxDecoderConfig"/> and the
/// context in <see cref="VpxCodecHandle"/>; their layouts are for x86-64 Linux (LP64).
/// Callers go through <see cref="LibVpx.EnsureAvailable"/> first so a missing package is one clear error.
/// </summary>
internal static unsafe partial class LibVpxNative
{
    private const string Library = "libvpx.so.7";

    // The *_init_ver calls take the ABI version the caller was built against and refuse a
    // library whose structs differ. From the 1.12 headers:
    //   VPX_IMAGE_ABI_VERSION        = 5                         (vpx_image.h)
    //   VPX_CODEC_ABI_VERSION        = 4 + IMAGE         = 9     (vpx_codec.h)
    //   VPX_EXT_RATECTRL_ABI_VERSION = 1                         (vpx_ext_ratectrl.h)
    //   VPX_DECODER_ABI_VERSION      = 3 + CODEC         = 12    (vpx_decoder.h)
    //   VPX_ENCODER_ABI_VERSION      = 15 + CODEC + EXT  = 25    (vpx_encoder.h)
    internal const int DecoderAbiVersion = 12;
    internal const int EncoderAbiVersion = 25;

    // vpx_codec_err_t (vpx_codec.h).
    internal const int Ok = 0;
    internal const int CorruptFrame = 7;

    // vpx_img_fmt_t (vpx_image.h): VPX_IMG_FMT_PLANAR | 2.
    internal const int ImageFormatI420 = 0x102;

    // vpx_enc_pass and vpx_rc_mode, vpx_kf_mode (vpx_encoder.h).
    internal const int OnePass = 0;
    internal const int RateControlCbr = 1;
    internal const int KeyframesAuto = 1;

    // vpx_codec_er_flags_t (vpx_encoder.h).
    internal const uint ErrorResilientDefault = 0x1;

    // vpx_codec_cx_pkt_kind and frame flags (vpx_encoder.h).
    internal const int PacketKindFrame = 0;
    internal const uint FrameIsKey = 0x1;

    // vpx_enc_frame_flags_t (vpx_encoder.h).
    internal const long EncodeForceKeyframe = 1;

    // Deadline in microseconds; 1 is VPX_DL_REALTIME (vpx_encoder.h).
    internal const uint DeadlineRealtime = 1;

    // enum vp8e_enc_control_id (vp8cx.h), each followed by the type the control reads.
    internal const int Vp8eSetCpuUsed = 13;              // int, -16..16
    internal const int Vp8eSetNoiseSensitivity = 15;     // unsigned int, 0..6
    internal const int Vp8eSetStaticThreshold = 17;      // unsigned int
    internal const int Vp8eSetTokenPartitions = 18;      // int (vp8e_token_partitions)
    internal const int Vp8eSetMaxIntraBitratePct = 26;   // unsigned int

    // vp8e_token_partitions (vp8cx.h).
    internal const int Vp8OneTokenPartition = 0;

    // enum vp8_dec_control_id (vp8dx.h): VP8_DECODER_CTRL_ID_START (256) + 1, reads int*.
    internal const int Vp8dGetFrameCorrupted = 257;

    [LibraryImport(Library, EntryPoint = "vpx_codec_version_str")]
    internal static partial nint CodecVersionString();

    [LibraryImport(Library, EntryPoint = "vpx_codec_err_to_string")]
    internal static partial nint CodecErrorToString(int error);

    [LibraryImport(Library, EntryPoint = "vpx_codec_error")]
    internal static partial nint CodecError(VpxCodecHandle codec);

    [LibraryImport(Library, EntryPoint = "vpx_codec_error_detail")]
    internal static partial nint CodecErrorDetail(VpxCodecHandle codec);

    /// <summary>vpx_codec_vp8_cx: the VP8 encoder interface (a static table inside the library).</summary>
    [LibraryImport(Library, EntryPoint = "vpx_codec_vp8_cx")]
    internal static partial nint Vp8EncoderInterface();

    /// <summary>vpx_codec_vp8_dx: the VP8 decoder interface.</summary>
    [LibraryImport(Library, EntryPoint = "vpx_codec_vp8_dx")]
    internal static partial nint Vp8DecoderInterface();

    /// <summary>Fills <paramref name="config"/> with the interface's defaults; usage must be 0.</summary>
    [LibraryImport(Library, EntryPoint = "vpx_codec_enc_config_default")]
    internal static partial int EncoderConfigDefault(nint iface, VpxEncoderConfig* config, uint usage);

    /// <summary>
    /// Initialises the caller-allocated context. libvpx keeps <paramref name="config"/>'s address
    /// while it initialises, so it lives next to the context (see <see cref="VpxCodecHandle"/>).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "vpx_codec_enc_init_ver")]
    internal static partial int EncoderInit(VpxCodecHandle codec, nint iface, VpxEncoderConfig* config, CLong flags, int abiVersion);

    [LibraryImport(Library, EntryPoint = "vpx_codec_dec_init_ver")]
    internal static partial int DecoderInit(VpxCodecHandle codec, nint iface, VpxDecoderConfig* config, CLong flags, int abiVersion);

    /// <summary>Applies a changed configuration (bitrate, quantizers) to a running encoder.</summary>
    [LibraryImport(Library, EntryPoint = "vpx_codec_enc_config_set")]
    internal static partial int EncoderConfigSet(VpxCodecHandle codec, VpxEncoderConfig* config);

    /// <summary>
    /// Encodes one picture (NULL flushes). <paramref name="pts"/> and <paramref name="duration"/>
    /// are in the configured timebase; <paramref name="deadline"/> in microseconds (1 = realtime).
    /// libvpx copies the picture before returning, so the image may live on the stack.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "vpx_codec_encode")]
    internal static partial int Encode(VpxCodecHandle codec, VpxImage* image, long pts, CULong duration, CLong flags, CULong deadline);

    /// <summary>The next output packet of the last encode, or NULL; <paramref name="iterator"/> starts at 0.</summary>
    [LibraryImport(Library, EntryPoint = "vpx_codec_get_cx_data")]
    internal static partial VpxEncodedPacket* GetEncodedData(VpxCodecHandle codec, nint* iterator);

    [LibraryImport(Library, EntryPoint = "vpx_codec_decode")]
    internal static partial int Decode(VpxCodecHandle codec, byte* data, uint length, nint userData, CLong deadline);

    /// <summary>The next decoded picture, or NULL; it stays valid until the next decode call.</summary>
    [LibraryImport(Library, EntryPoint = "vpx_codec_get_frame")]
    internal static partial VpxImage* GetFrame(VpxCodecHandle codec, nint* iterator);

    // vpx_codec_control_ is variadic in C. .NET cannot call C varargs on Unix, so it is declared
    // with the fixed arguments we pass. On x86-64 SysV (and AArch64 Linux) a variadic int or
    // pointer travels in the same register as a fixed one and the callee's va_arg reads it from
    // there; AL (the count of vector registers, which we do not set) only decides whether the
    // callee spills XMM registers it never reads. This would NOT hold on Apple or Windows arm64.
    [LibraryImport(Library, EntryPoint = "vpx_codec_control_")]
    internal static partial int Control(VpxCodecHandle codec, int id, int value);

    [LibraryImport(Library, EntryPoint = "vpx_codec_control_")]
    internal static partial int Control(VpxCodecHandle codec, int id, int* value);

    /// <summary>Frees what libvpx allocated for the context; the context's own memory stays ours.</summary>
    [LibraryImport(Library, EntryPoint = "vpx_codec_destroy")]
    internal static partial int Destroy(nint codec);

    /// <summary>
    /// Fills <paramref name="image"/> to describe <paramref name="data"/> as one contiguous
    /// picture whose rows are padded to <paramref name="strideAlign"/>. Our frames pad luma and
    /// chroma rows separately, so the encoder fills the struct itself; tests use this to check
    /// the struct layout against what the library writes.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "vpx_img_wrap")]
    internal static partial VpxImage* ImageWrap(VpxImage* image, int format, uint displayWidth, uint displayHeight, uint strideAlign, byte* data);
}
