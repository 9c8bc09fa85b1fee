namespace MediaServer.Protocol.Rtcp;

/// <summary>RTCP packet types (RFC 3550 §12.1; feedback RFC 4585 §6.1).</summary>
public static class RtcpPacketType
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte SourceDescription = 202;
    public const byte Goodbye = 203;
    public const byte ApplicationDefined = 204;

    /// <summary>RTPFB: transport layer feedback (generic NACK, transport-cc).</summary>
    public const byte TransportFeedback = 205;

    /// <summary>PSFB: payload-specific feedback (PLI, FIR, REMB).</summary>
    public const byte PayloadFeedback = 206;

    /// <summary>RFC 3611 extended reports; parsed only as a generic packet.</summary>
    public const byte ExtendedReport = 207;
}
