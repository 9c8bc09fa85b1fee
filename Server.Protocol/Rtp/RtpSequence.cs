namespace MediaServer.Protocol.Rtp;

/// <summary>
/// Comparisons of 16-bit RTP sequence numbers across wraparound, in serial number arithmetic
/// (RFC 1982 §3.2): a is newer than b when a - b (mod 2^16) lies in 1..32767. Numbers exactly
/// 32768 apart are neither newer nor older than each other.
/// </summary>
public static class RtpSequence
{
    public static bool IsNewer(ushort a, ushort b)
    {
        var forward = (ushort)(a - b);
        return forward is > 0 and < 0x8000;
    }

    /// <summary>a - b as a signed distance in -32768..32767, so 2 - 65535 is 3 and 65535 - 2 is -3.</summary>
    public static int Difference(ushort a, ushort b) => (short)(ushort)(a - b);
}
