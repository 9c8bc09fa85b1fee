namespace MediaServer.Protocol.Rtcp;

/// <summary>One SDES item with the SSRC/CSRC of the chunk it sits in; borrows the packet's buffer.</summary>
public readonly ref struct RtcpSdesItem
{
    public RtcpSdesItem(uint ssrc, byte type, ReadOnlySpan<byte> value)
    {
        Ssrc = ssrc;
        Type = type;
        Value = value;
    }

    public uint Ssrc { get; }

    /// <summary>See <see cref="RtcpSdesItemType"/>.</summary>
    public byte Type { get; }

    /// <summary>UTF-8 text, up to 255 bytes.</summary>
    public ReadOnlySpan<byte> Value { get; }
}
