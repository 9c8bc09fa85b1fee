namespace MediaServer.Protocol.Stun;

/// <summary>
/// The CRC-32 of ISO/IEC 13239 (reflected polynomial 0xEDB88320, as in zlib and PNG) that
/// FINGERPRINT uses (RFC 8489 §14.7). Written here because System.IO.Hashing is not referenced
/// and a table lookup per byte is all a 100-byte STUN message needs.
/// </summary>
internal static class StunCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var table = Table;
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = table[(byte)(crc ^ b)] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
