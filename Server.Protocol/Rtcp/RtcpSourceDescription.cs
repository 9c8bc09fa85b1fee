namespace MediaServer.Protocol.Rtcp;

/// <summary>
/// A source description packet (RFC 3550 §6.5):
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    SC   |  PT=SDES=202  |             length            |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// chunk  |                          SSRC/CSRC_1                          |
///   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                           SDES items                          |
///        |                              ...                              |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// chunk  |                          SSRC/CSRC_2                          |
///   2    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                           SDES items                          |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///
/// item:  |    type (1-8)  |     length    | text (length bytes)          ...
/// end:   |  0 (null item) | zero padding to the next 32-bit boundary
/// </code>
/// <see cref="TryParse"/> walks every chunk, so a view it returns enumerates cleanly. Borrows
/// the packet's buffer: valid only while that buffer is unchanged.
/// </summary>
public readonly ref struct RtcpSourceDescription
{
    private readonly ReadOnlySpan<byte> _body;

    private RtcpSourceDescription(ReadOnlySpan<byte> body, int chunkCount)
    {
        _body = body;
        ChunkCount = chunkCount;
    }

    public int ChunkCount { get; }

    /// <summary>False unless PT is 202 and all SC chunks are well formed and end with a null item.</summary>
    public static bool TryParse(RtcpPacket packet, out RtcpSourceDescription sdes)
    {
        sdes = default;
        if (packet.PacketType != RtcpPacketType.SourceDescription)
        {
            return false;
        }

        var items = new RtcpSdesItemEnumerator(packet.Body, packet.Count);
        while (items.MoveNext())
        {
        }

        if (items.IsMalformed)
        {
            return false;
        }

        sdes = new RtcpSourceDescription(packet.Body, packet.Count);
        return true;
    }

    /// <summary>All items of all chunks, in order.</summary>
    public RtcpSdesItemEnumerator GetItems() => new(_body, ChunkCount);

    /// <summary>The first CNAME item, with the SSRC of its chunk.</summary>
    public bool TryGetCname(out uint ssrc, out ReadOnlySpan<byte> cname)
    {
        foreach (var item in GetItems())
        {
            if (item.Type == RtcpSdesItemType.Cname)
            {
                ssrc = item.Ssrc;
                cname = item.Value;
                return true;
            }
        }

        ssrc = 0;
        cname = default;
        return false;
    }
}
