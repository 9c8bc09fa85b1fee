namespace MediaServer.Protocol.Rtcp;

/// <summary>FMT values of the feedback messages this server reads or writes.</summary>
public static class RtcpFeedbackFormat
{
    /// <summary>RTPFB FMT 1: generic NACK (RFC 4585 §6.2.1).</summary>
    public const int GenericNack = 1;

    /// <summary>RTPFB FMT 15: transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions).</summary>
    public const int TransportWideCongestionControl = 15;

    /// <summary>PSFB FMT 1: picture loss indication (RFC 4585 §6.3.1).</summary>
    public const int PictureLossIndication = 1;

    /// <summary>PSFB FMT 4: full intra request (RFC 5104 §4.3.1).</summary>
    public const int FullIntraRequest = 4;

    /// <summary>PSFB FMT 15: application layer feedback; REMB is one (draft-alvestrand-rmcat-remb §2.2).</summary>
    public const int ApplicationLayer = 15;
}
