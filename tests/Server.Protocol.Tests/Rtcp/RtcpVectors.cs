using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Rtcp;

/// <summary>Hand-made RTCP packets, one 32-bit word per line, each field commented.</summary>
public static class RtcpVectors
{
    public static readonly byte[] SenderReportWithOneBlock = Hex.Parse("""
        81 c8 00 0c  // V=2 P=0 RC=1 | PT=200 SR | length 12 (52 bytes)
        12 34 56 78  // SSRC of sender
        e8 6c 2a 38  // NTP timestamp, seconds
        80 00 00 00  // NTP timestamp, fraction (0.5 s)
        00 01 e2 40  // RTP timestamp 123456
        00 00 03 e8  // sender's packet count 1000
        00 02 71 00  // sender's octet count 160000
        9a bc de f0  // report block: SSRC of source
        0a ff ff fe  //   fraction lost 10/256 | cumulative lost -2 (24-bit signed)
        00 01 00 2a  //   extended highest sequence: 1 cycle, sequence 42
        00 00 00 30  //   interarrival jitter 48
        2a 38 80 00  //   LSR: middle 32 bits of the last SR's NTP timestamp
        00 01 80 00  //   DLSR 1.5 s (98304 / 65536)
        """);

    /// <summary>SR without report blocks followed by an SDES CNAME, the usual compound from a sender.</summary>
    public static readonly byte[] SenderReportAndSdes = Hex.Parse("""
        80 c8 00 06  // V=2 P=0 RC=0 | PT=200 SR | length 6 (28 bytes)
        12 34 56 78  // SSRC of sender
        e8 6c 2a 38  // NTP timestamp, seconds
        80 00 00 00  // NTP timestamp, fraction
        00 01 e2 40  // RTP timestamp 123456
        00 00 00 0a  // sender's packet count 10
        00 00 06 40  // sender's octet count 1600
        81 ca 00 06  // V=2 P=0 SC=1 | PT=202 SDES | length 6 (28 bytes)
        12 34 56 78  // chunk 1: SSRC
        01 10 61 62  //   CNAME (1), 16 bytes: "ab
        63 64 65 66  //   cdef
        67 68 69 6a  //   ghij
        6b 6c 6d 6e  //   klmn
        6f 70 00 00  //   op", null item ends the list, 1 byte of padding
        """);

    public static readonly byte[] ReceiverReport = Hex.Parse("""
        81 c9 00 07  // V=2 P=0 RC=1 | PT=201 RR | length 7 (32 bytes)
        9a bc de f0  // SSRC of packet sender
        12 34 56 78  // report block: SSRC of source
        00 00 00 00  //   fraction lost 0 | cumulative lost 0
        00 00 13 88  //   extended highest sequence 5000
        00 00 00 05  //   interarrival jitter 5
        00 00 00 00  //   LSR: no SR received yet
        00 00 00 00  //   DLSR
        """);

    public static readonly byte[] Goodbye = Hex.Parse("""
        81 cb 00 03  // V=2 P=0 SC=1 | PT=203 BYE | length 3 (16 bytes)
        12 34 56 78  // SSRC
        06 63 6c 6f  // reason length 6 | "clo
        73 65 64 00  //   sed", 1 byte of padding
        """);

    public static readonly byte[] PictureLossIndication = Hex.Parse("""
        81 ce 00 02  // V=2 P=0 FMT=1 | PT=206 PSFB | length 2 (12 bytes)
        12 34 56 78  // SSRC of packet sender
        9a bc de f0  // SSRC of media source
        """);

    public static readonly byte[] FullIntraRequest = Hex.Parse("""
        84 ce 00 04  // V=2 P=0 FMT=4 | PT=206 PSFB | length 4 (20 bytes)
        12 34 56 78  // SSRC of packet sender
        00 00 00 00  // SSRC of media source: unused, 0 (RFC 5104 §4.3.1.2)
        9a bc de f0  // FCI: SSRC asked for a key frame
        05 00 00 00  //   command sequence number 5 | reserved
        """);

    /// <summary>Lost: 100, 101, 103, 116, then 65534, 65535, 0 across the wrap.</summary>
    public static readonly byte[] GenericNack = Hex.Parse("""
        81 cd 00 04  // V=2 P=0 FMT=1 | PT=205 RTPFB | length 4 (20 bytes)
        12 34 56 78  // SSRC of packet sender
        9a bc de f0  // SSRC of media source
        00 64 80 05  // PID 100 | BLP bits 0, 2, 15: 101, 103, 116
        ff fe 00 03  // PID 65534 | BLP bits 0, 1: 65535, 0
        """);

    public static readonly ushort[] GenericNackLost = [100, 101, 103, 116, 65534, 65535, 0];

    /// <summary>REMB as Chrome sends it: media source 0, one SSRC, 1 Mbit/s.</summary>
    public static readonly byte[] Remb = Hex.Parse("""
        8f ce 00 05  // V=2 P=0 FMT=15 | PT=206 PSFB | length 5 (24 bytes)
        12 34 56 78  // SSRC of packet sender
        00 00 00 00  // SSRC of media source: 0
        52 45 4d 42  // "REMB"
        01 0b d0 90  // 1 SSRC | exponent 2 | mantissa 250000: 1,000,000 bit/s
        9a bc de f0  // SSRC the estimate applies to
        """);

    /// <summary>An RR and SDES with padding on the last packet (RFC 3550 §6.4.1 allows it there).</summary>
    public static readonly byte[] ReceiverReportAndPaddedSdes = Hex.Parse("""
        80 c9 00 01  // V=2 P=0 RC=0 | PT=201 RR | length 1 (8 bytes)
        9a bc de f0  // SSRC of packet sender
        a1 ca 00 04  // V=2 P=1 SC=1 | PT=202 SDES | length 4 (20 bytes)
        9a bc de f0  // chunk 1: SSRC
        01 02 68 69  //   CNAME (1), 2 bytes: "hi"
        00 00 00 00  //   null item and padding to the word boundary
        00 00 00 04  // RTCP padding: 3 bytes and the count (4)
        """);

    public static readonly byte[][] All =
    [
        SenderReportWithOneBlock, SenderReportAndSdes, ReceiverReport, Goodbye,
        PictureLossIndication, FullIntraRequest, GenericNack, Remb, ReceiverReportAndPaddedSdes,
    ];
}
