using System.Buffers.Binary;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Recording;

namespace MediaServer.Mixer.Tests.Recording;

/// <summary>Ogg Opus pages (RFC 7845, RFC 3533): the header page byte for byte as ffmpeg/libogg write it, lacing, granules, CRC, end of stream.</summary>
public sealed class OggOpusWriterTests
{
    /// <summary>
    /// The first page ffmpeg 5.1 wrote for a mono libopus stream (<c>ffmpeg -f lavfi -i sine -c:a libopus -ac 1 x.ogg</c>):
    /// an independent writer's page, so both the CRC and the OpusHead layout are checked against it.
    /// </summary>
    private static readonly byte[] FfmpegHeadPage = Convert.FromHexString(
        "4F676753" // "OggS"
        + "00" // version 0
        + "02" // header type: beginning of stream
        + "0000000000000000" // granule position 0
        + "6DB5B669" // serial number 0x69B6B56D, little-endian
        + "00000000" // page sequence 0
        + "709CBF6E" // CRC 0x6EBF9C70, little-endian
        + "01" // one segment
        + "13" // of 19 bytes
        + "4F70757348656164" // "OpusHead"
        + "01" // version 1
        + "01" // one channel
        + "3801" // pre-skip 312
        + "80BB0000" // input rate 48000
        + "0000" // output gain 0
        + "00"); // mapping family 0

    [Fact]
    public void TheCrcOfAnFfmpegPageIsTheOneItCarries()
    {
        var page = FfmpegHeadPage.ToArray();
        var carried = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
        page.AsSpan(22, 4).Clear();
        Assert.Equal(0x6EBF9C70u, carried);
        Assert.Equal(carried, OggCrc.Compute(page));
    }

    [Fact]
    public void TheHeadPageIsTheSameAsFfmpegs()
    {
        using var stream = new MemoryStream();
        _ = new OggOpusWriter(stream, channels: 1, preSkip: OpusHeader.EncoderPreSkip, serial: 0x69B6B56D);
        Assert.Equal(FfmpegHeadPage, stream.ToArray().AsSpan(0, FfmpegHeadPage.Length).ToArray());
    }

    [Theory]
    [InlineData(300, new byte[] { 255, 45 })]
    [InlineData(255, new byte[] { 255, 0 })]
    [InlineData(254, new byte[] { 254 })]
    [InlineData(0, new byte[] { 0 })]
    [InlineData(510, new byte[] { 255, 255, 0 })]
    public void PacketsAreLacedIn255ByteSegments(int length, byte[] expected)
    {
        var segments = new byte[8];
        var count = OggOpusWriter.Lace(length, segments);
        Assert.Equal(expected, segments.AsSpan(0, count).ToArray());
    }

    [Fact]
    public void A300BytePacketIsOnePageOfTwoSegmentsWithTheGranuleAfterItAndTheEndOfStreamFlag()
    {
        using var stream = new MemoryStream();
        var writer = new OggOpusWriter(stream, channels: 2, preSkip: 312, serial: 7);
        var packet = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        writer.WritePacket(packet, 960);
        writer.Finish();

        var pages = ReadPages(stream.ToArray());
        Assert.Equal(3, pages.Count);
        Assert.Equal(0x02, pages[0].Flags);
        Assert.StartsWith("OpusTags", System.Text.Encoding.ASCII.GetString(pages[1].Data));
        var audio = pages[2];
        Assert.Equal(0x04, audio.Flags);
        Assert.Equal(960, audio.Granule);
        Assert.Equal(2u, audio.Sequence);
        Assert.Equal(new byte[] { 255, 45 }, audio.Segments);
        Assert.Equal(packet, audio.Data);
    }

    [Fact]
    public void PagesHoldWholePacketsAtMostASecondOrTheirSegmentsAndEveryCrcChecks()
    {
        using var stream = new MemoryStream();
        var writer = new OggOpusWriter(stream, channels: 1, preSkip: 312, serial: 1);
        for (var i = 0; i < 400; i++)
        {
            writer.WritePacket(new byte[i % 7 == 0 ? 600 : 80], 960);
        }

        writer.Finish();
        var pages = ReadPages(stream.ToArray());
        var audio = pages.Skip(2).ToList();
        Assert.All(pages, p => Assert.True(p.CrcOk));
        Assert.All(audio, p => Assert.True(p.Segments.Length <= 255));
        Assert.All(audio, p => Assert.NotEqual(255, p.Segments[^1]));
        // Granules grow by whole packets, a page spans at most 50 packets (one second), and the last has them all.
        var previous = 0L;
        foreach (var page in audio)
        {
            Assert.True(page.Granule > previous);
            Assert.Equal(0, (page.Granule - previous) % 960);
            Assert.True(page.Granule - previous <= 48000 + 960);
            previous = page.Granule;
        }

        Assert.Equal(400 * 960, audio[^1].Granule);
        Assert.Equal(0x04, audio[^1].Flags);
        Assert.Equal(Enumerable.Range(0, pages.Count).Select(i => (uint)i), pages.Select(p => p.Sequence));
    }

    [Fact]
    public void APacketTooLongForAPageIsRefused()
    {
        using var stream = new MemoryStream();
        var writer = new OggOpusWriter(stream, channels: 1, preSkip: 312, serial: 1);
        Assert.Throws<ArgumentException>(() => writer.WritePacket(new byte[OggOpusWriter.MaxPacketLength + 1], 960));
    }

    [Theory]
    [InlineData(OpusApplication.Voip)]
    [InlineData(OpusApplication.Audio)]
    public void ThePreSkipIsTheMixEncodersLookahead(OpusApplication application)
    {
        using var encoder = new MediaServer.Mixer.Codecs.OpusAudioEncoder(MediaServer.Mixer.Codecs.AudioCodecSettings.Opus(2, 32000, 5) with { Application = application });
        Assert.Equal(OpusHeader.EncoderPreSkip, encoder.Lookahead);
    }

    internal sealed record Page(byte Flags, long Granule, uint Sequence, byte[] Segments, byte[] Data, bool CrcOk);

    internal static List<Page> ReadPages(byte[] file)
    {
        var pages = new List<Page>();
        var offset = 0;
        while (offset < file.Length)
        {
            Assert.Equal("OggS", System.Text.Encoding.ASCII.GetString(file, offset, 4));
            var count = file[offset + 26];
            var segments = file.AsSpan(offset + 27, count).ToArray();
            var length = 27 + count + segments.Sum(s => s);
            var copy = file.AsSpan(offset, length).ToArray();
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(22));
            copy.AsSpan(22, 4).Clear();
            pages.Add(new Page(
                file[offset + 5],
                BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(offset + 6)),
                BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 18)),
                segments,
                file.AsSpan(offset + 27 + count, length - 27 - count).ToArray(),
                OggCrc.Compute(copy) == crc));
            offset += length;
        }

        return pages;
    }
}
