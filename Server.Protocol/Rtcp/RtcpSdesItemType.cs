namespace MediaServer.Protocol.Rtcp;

/// <summary>SDES item types (RFC 3550 §6.5). Type 0 ends a chunk's item list.</summary>
public static class RtcpSdesItemType
{
    public const byte End = 0;
    public const byte Cname = 1;
    public const byte Name = 2;
    public const byte Email = 3;
    public const byte Phone = 4;
    public const byte Location = 5;
    public const byte Tool = 6;
    public const byte Note = 7;
    public const byte Private = 8;
}
