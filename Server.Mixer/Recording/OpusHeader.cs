using System.Buffers.Binary;

namespace MediaServer.Mixer.Recording;

/// <summary>
/// The Opus identification header (RFC 7845 §5.1), the first packet of an Ogg Opus stream and
/// the CodecPrivate of a Matroska/WebM A_OPUS track.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      'O'      |      'p'      |      'u'      |      's'      |
/// |      'H'      |      'e'      |      'a'      |      'd'      |
/// |  Version = 1  | Channel Count |           Pre-skip            |
/// |                     Input Sample Rate (Hz)                    |
/// |   Output Gain (Q7.8 in dB)    | Mapping Family|
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Multi-byte fields are little-endian. Mapping family 0: mono or stereo, one stream.
/// </summary>
public static class OpusHeader
{
    public const int Length = 19;

    /// <summary>
    /// What libopus's encoder delays its output by at 48 kHz in the mixer's VOIP and AUDIO
    /// modes (OPUS_GET_LOOKAHEAD: 2.5 ms of look-ahead plus 4 ms of resampler delay). Players
    /// drop this many samples from the start so the recording is not shifted.
    /// </summary>
    public const int EncoderPreSkip = 312;

    public static void Write(Span<byte> destination, int channels, int preSkip)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(preSkip);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preSkip, ushort.MaxValue);
        "OpusHead"u8.CopyTo(destination);
        destination[8] = 1;
        destination[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], 48000);
        BinaryPrimitives.WriteInt16LittleEndian(destination[16..], 0);
        destination[18] = 0;
    }
}
