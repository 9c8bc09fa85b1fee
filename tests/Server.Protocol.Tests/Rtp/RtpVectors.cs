using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Rtp;

/// <summary>Hand-made RTP packets, one 32-bit word per line.</summary>
public static class RtpVectors
{
    /// <summary>The 12-byte fixed header alone, as <c>RtpHeader.TryWrite</c> produces it, plus one payload word.</summary>
    public static readonly byte[] Pcmu = Hex.Parse("""
        80 00 30 39  // V=2 P=0 X=0 CC=0 | M=0 PT=0 (PCMU) | sequence 12345
        00 00 03 e8  // timestamp 1000
        11 22 33 44  // SSRC
        ff ff ff ff  // payload: four μ-law silence samples
        """);

    /// <summary>Opus as Chrome sends it: RFC 8285 one-byte extensions for audio level and abs-send-time.</summary>
    public static readonly byte[] OpusWithOneByteExtensions = Hex.Parse("""
        90 6f 1a 2b  // V=2 P=0 X=1 CC=0 | M=0 PT=111 | sequence 0x1a2b
        00 01 e2 40  // timestamp 123456
        12 34 56 78  // SSRC
        be de 00 02  // one-byte extension profile 0xBEDE, 2 words follow
        10 aa 32 12  // ID 1 L=0: audio level 0xaa | ID 3 L=2: abs-send-time 0x12...
        34 56 00 00  // ...0x3456, then 2 padding bytes
        f8 ff fe     // Opus: TOC 0xf8 (CELT FB 20 ms, mono, 1 frame), DTX payload
        """);

    /// <summary>Video with two CSRCs, marker, a two-byte extension (RFC 8285 §4.3) and 3 bytes of padding.</summary>
    public static readonly byte[] VideoWithCsrcsTwoByteExtensionAndPadding = Hex.Parse("""
        b2 e0 ff fe  // V=2 P=1 X=1 CC=2 | M=1 PT=96 | sequence 65534
        de ad be ef  // timestamp
        ca fe ba be  // SSRC
        00 00 00 01  // CSRC 1
        00 00 00 02  // CSRC 2
        10 00 00 02  // two-byte extension profile 0x1000 (app bits 0), 2 words follow
        05 03 61 62  // ID 5, length 3: "ab...
        63 00 00 00  // ...c", then 3 padding bytes
        10 02 00 9d  // payload (4 bytes)
        00 00 03     // padding: 2 bytes and the count (3)
        """);

    public static readonly byte[][] All = [Pcmu, OpusWithOneByteExtensions, VideoWithCsrcsTwoByteExtensionAndPadding];
}
