namespace MediaServer.Mixer.Recording;

/// <summary>
/// The Ogg page checksum (RFC 3533 §6): CRC-32 with generator 0x04C11DB7, initial value 0, no
/// bit reflection and no final XOR (unlike zlib's CRC-32), over the whole page with the CRC
/// field itself set to zero. Table-driven, one byte at a time.
/// </summary>
public static class OggCrc
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0u;
        foreach (var b in data)
        {
            crc = (crc << 8) ^ Table[(int)((crc >> 24) ^ b)];
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
