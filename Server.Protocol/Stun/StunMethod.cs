namespace MediaServer.Protocol.Stun;

/// <summary>STUN methods (RFC 8489 §18.2). ICE connectivity checks use only Binding.</summary>
public static class StunMethod
{
    public const ushort Binding = 0x0001;

    /// <summary>Methods are 12 bits wide; the rest of the message type holds the class.</summary>
    public const ushort MaxValue = 0x0FFF;
}
