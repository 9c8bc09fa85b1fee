using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// The libopus entry points we call (opus.h, libopus 1.3.1). Debian's libopus0 ships only the
/// versioned soname (the unversioned libopus.so comes with -dev), so that is the name we import.
/// Callers go through <see cref="LibOpus.EnsureAvailable"/> first so a missing package is one
/// clear error. All sample rates here are 48 kHz and all PCM is interleaved 16-bit.
/// </summary>
internal static unsafe partial class LibOpusNative
{
    private const string Library = "libopus.so.0";

    // Return codes (opus_defines.h).
    internal const int Ok = 0;
    internal const int BadArg = -1;
    internal const int BufferTooSmall = -2;
    internal const int InvalidPacket = -4;

    // CTL requests (opus_defines.h); the SET ones take an int, the GET ones an int*.
    internal const int SetBitrateRequest = 4002;
    internal const int GetBitrateRequest = 4003;
    internal const int SetComplexityRequest = 4010;
    internal const int GetComplexityRequest = 4011;
    internal const int SetInbandFecRequest = 4012;
    internal const int SetPacketLossPercRequest = 4014;
    internal const int SetDtxRequest = 4016;
    internal const int GetLookaheadRequest = 4027;

    [LibraryImport(Library, EntryPoint = "opus_get_version_string")]
    internal static partial nint GetVersionString();

    [LibraryImport(Library, EntryPoint = "opus_strerror")]
    internal static partial nint StrError(int error);

    [LibraryImport(Library, EntryPoint = "opus_encoder_create")]
    internal static partial OpusEncoderHandle EncoderCreate(int sampleRate, int channels, int application, int* error);

    [LibraryImport(Library, EntryPoint = "opus_encoder_destroy")]
    internal static partial void EncoderDestroy(nint encoder);

    /// <summary>Returns the packet length in bytes, or a negative error code.</summary>
    [LibraryImport(Library, EntryPoint = "opus_encode")]
    internal static partial int Encode(OpusEncoderHandle encoder, short* pcm, int frameSize, byte* data, int maxDataBytes);

    // opus_encoder_ctl and opus_decoder_ctl are variadic in C. .NET cannot call C varargs on
    // Unix, so each is declared with the fixed arguments we pass. On x86-64 SysV (and AArch64
    // Linux) a variadic int or pointer travels in the same register as a fixed one, and the
    // callee's va_arg reads it from there; AL (the count of vector registers, which we do not
    // set) only decides whether the callee spills XMM registers it never reads. This would NOT
    // hold on Apple arm64 or Windows arm64, where variadic arguments go on the stack.
    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    internal static partial int EncoderCtl(OpusEncoderHandle encoder, int request, int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    internal static partial int EncoderCtl(OpusEncoderHandle encoder, int request, int* value);

    [LibraryImport(Library, EntryPoint = "opus_decoder_create")]
    internal static partial OpusDecoderHandle DecoderCreate(int sampleRate, int channels, int* error);

    [LibraryImport(Library, EntryPoint = "opus_decoder_destroy")]
    internal static partial void DecoderDestroy(nint decoder);

    /// <summary>
    /// Decodes <paramref name="data"/> (NULL with length 0 for loss concealment) into at most
    /// <paramref name="frameSize"/> samples per channel; with <paramref name="decodeFec"/> = 1 it
    /// rebuilds the frame before this packet from its in-band FEC. Returns samples per channel
    /// or a negative error code.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "opus_decode")]
    internal static partial int Decode(OpusDecoderHandle decoder, byte* data, int length, short* pcm, int frameSize, int decodeFec);

    /// <summary>Samples per channel in the packet at <paramref name="sampleRate"/>, or OPUS_INVALID_PACKET.</summary>
    [LibraryImport(Library, EntryPoint = "opus_packet_get_nb_samples")]
    internal static partial int PacketGetNbSamples(byte* packet, int length, int sampleRate);

    [LibraryImport(Library, EntryPoint = "opus_packet_get_nb_channels")]
    internal static partial int PacketGetNbChannels(byte* packet);

    [LibraryImport(Library, EntryPoint = "opus_packet_get_samples_per_frame")]
    internal static partial int PacketGetSamplesPerFrame(byte* packet, int sampleRate);

    /// <summary>Splits a packet into its frames (at most 48); returns the frame count or a negative error code.</summary>
    [LibraryImport(Library, EntryPoint = "opus_packet_parse")]
    internal static partial int PacketParse(byte* packet, int length, byte* toc, byte** frames, short* sizes, int* payloadOffset);
}
