using System.Buffers.Binary;
using System.Text;

namespace MediaServer.Mixer.Recording;

/// <summary>
/// Writes one Opus stream into an Ogg file (RFC 7845 on RFC 3533): a first page holding only
/// the OpusHead (beginning of stream), a page holding only OpusTags, then audio pages of whole
/// packets whose granule position counts every 48 kHz sample decoded up to the page's last
/// packet (pre-skip included), and a last page flagged end of stream. An Ogg page:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// | capture_pattern: "OggS"                                       |
/// | version = 0   | header_type   | granule_position (64, LE)     |
/// |                               | bitstream_serial_number (LE)  |
/// |                               | page_sequence_number (LE)     |
/// |                               | CRC_checksum (LE)             |
/// |                               |page_segments  | segment_table |
/// | ... packet data; a packet is laced as 255-byte segments ended |
/// |     by one shorter than 255 (0 when the length divides by 255)|
/// </code>
/// A page is written when the next packet would not fit it or once it holds a second of
/// audio, so a crash loses about a second. Packets never span pages (Opus packets are far
/// smaller than a page). Single thread; the page buffer is fixed, nothing is allocated per packet.
/// </summary>
public sealed class OggOpusWriter
{
    private const int HeaderLength = 27;
    private const int MaxSegments = 255;
    private const int MaxPageData = MaxSegments * 255;
    private const int PageSamples = 48000;

    /// <summary>The largest packet one page can hold: 254 full segments and a last one of 254.</summary>
    public const int MaxPacketLength = (MaxSegments - 1) * 255 + 254;

    private const byte BeginningOfStream = 0x02;
    private const byte EndOfStream = 0x04;

    private readonly Stream _stream;
    private readonly uint _serial;
    private readonly byte[] _page = new byte[HeaderLength + MaxSegments + MaxPageData];
    private readonly byte[] _data = new byte[MaxPageData];
    private readonly byte[] _segments = new byte[MaxSegments];
    private int _segmentCount;
    private int _dataLength;
    private int _pagePackets;
    private long _pageStartGranule;
    private uint _sequence;
    private bool _finished;

    public OggOpusWriter(Stream stream, int channels, int preSkip, uint serial, string vendor = "MediaServer")
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _serial = serial;
        PreSkip = preSkip;

        Span<byte> head = stackalloc byte[OpusHeader.Length];
        OpusHeader.Write(head, channels, preSkip);
        AddPacket(head);
        WritePage(BeginningOfStream, 0);

        // OpusTags (RFC 7845 §5.2): magic, vendor string, no user comments.
        var vendorBytes = Encoding.UTF8.GetBytes(vendor);
        var tags = new byte[8 + 4 + vendorBytes.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(8), (uint)vendorBytes.Length);
        vendorBytes.CopyTo(tags.AsSpan(12));
        AddPacket(tags);
        WritePage(0, 0);
    }

    public int PreSkip { get; }

    /// <summary>Samples (48 kHz) of every packet written so far, pre-skip included: the next page's granule base.</summary>
    public long Granule { get; private set; }

    /// <summary>Pages written so far (the header pages included).</summary>
    public uint Pages => _sequence;

    /// <summary>Adds one Opus packet of <paramref name="samples"/> 48 kHz samples.</summary>
    public void WritePacket(ReadOnlySpan<byte> packet, int samples)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (packet.Length > MaxPacketLength)
        {
            throw new ArgumentException($"An Opus packet of {packet.Length} bytes does not fit an Ogg page ({MaxPacketLength} at most).", nameof(packet));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (_pagePackets > 0 && (_segmentCount + (packet.Length / 255) + 1 > MaxSegments || Granule - _pageStartGranule >= PageSamples))
        {
            WritePage(0, Granule);
        }

        AddPacket(packet);
        _pagePackets++;
        Granule += samples;
    }

    /// <summary>Writes the last page, flagged end of stream (an empty one when nothing is pending), and flushes.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        WritePage(EndOfStream, Granule);
        _finished = true;
        _stream.Flush();
    }

    /// <summary>The lacing values of a packet (RFC 3533 §5): 255 per full segment, then the rest (0 if none).</summary>
    public static int Lace(int length, Span<byte> segments)
    {
        var count = 0;
        while (length >= 255)
        {
            segments[count++] = 255;
            length -= 255;
        }

        segments[count++] = (byte)length;
        return count;
    }

    private void AddPacket(ReadOnlySpan<byte> packet)
    {
        _segmentCount += Lace(packet.Length, _segments.AsSpan(_segmentCount));
        packet.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += packet.Length;
    }

    private void WritePage(byte flags, long granule)
    {
        var page = _page.AsSpan();
        "OggS"u8.CopyTo(page);
        page[4] = 0;
        page[5] = flags;
        BinaryPrimitives.WriteInt64LittleEndian(page[6..], granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page[14..], _serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page[18..], _sequence++);
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], 0);
        page[26] = (byte)_segmentCount;
        _segments.AsSpan(0, _segmentCount).CopyTo(page[HeaderLength..]);
        _data.AsSpan(0, _dataLength).CopyTo(page[(HeaderLength + _segmentCount)..]);
        var length = HeaderLength + _segmentCount + _dataLength;
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], OggCrc.Compute(page[..length]));
        _stream.Write(page[..length]);
        _segmentCount = 0;
        _dataLength = 0;
        _pagePackets = 0;
        _pageStartGranule = granule;
    }
}
