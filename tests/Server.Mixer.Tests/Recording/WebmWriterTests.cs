using System.Buffers.Binary;
using System.Text;
using MediaServer.Mixer.Recording;

namespace MediaServer.Mixer.Tests.Recording;

/// <summary>
/// The WebM file's structure read back with a small EBML reader: every size known and
/// consistent, the Duration and the SeekHead patched, tracks as declared, clusters starting
/// at video keyframes with their blocks' times, and cues pointing at clusters.
/// </summary>
public sealed class WebmWriterTests
{
    [Fact]
    public void AFinishedFileHasKnownSizesDurationTracksClustersAndCues()
    {
        using var stream = new MemoryStream();
        var writer = new WebmWriter(stream, audioChannels: 2, preSkip: 312, videoWidth: 320, videoHeight: 180);
        for (var ms = 0; ms < 12000; ms += 20)
        {
            writer.WriteAudio(new byte[] { 0xFC, (byte)ms }, ms, 20);
            if (ms % 40 == 0)
            {
                // A keyframe every 6 s.
                writer.WriteVideo(new byte[100], ms + 5, 40, keyframe: ms % 6000 == 0);
            }
        }

        writer.Finish();
        var file = stream.ToArray();

        var top = Elements(file, 0, file.Length);
        Assert.Equal([0x1A45DFA3u, 0x18538067u], top.Select(e => e.Id));
        var segment = top[1];
        Assert.Equal(file.Length, segment.DataStart + segment.Size);
        Assert.Equal("webm", Encoding.ASCII.GetString(Child(file, top[0], 0x4282).Data(file)));

        var children = Elements(file, segment.DataStart, segment.Size);
        var info = children.Single(e => e.Id == 0x1549A966);
        Assert.Equal(1_000_000UL, UInt(file, Child(file, info, 0x2AD7B1)));
        Assert.Equal(12005 + 40 - 40, BinaryPrimitives.ReadDoubleBigEndian(Child(file, info, 0x4489).Data(file)), 0.001);

        // SeekHead positions, from the Segment's data, land on the elements they name.
        var seekHead = children.Single(e => e.Id == 0x114D9B74);
        foreach (var seek in Elements(file, seekHead.DataStart, seekHead.Size))
        {
            var target = BinaryPrimitives.ReadUInt32BigEndian(Child(file, seek, 0x53AB).Data(file));
            var position = (long)UInt(file, Child(file, seek, 0x53AC));
            Assert.Contains(children, e => e.Id == target && e.Start == segment.DataStart + position);
        }

        var tracks = Elements(file, children.Single(e => e.Id == 0x1654AE6B).DataStart, children.Single(e => e.Id == 0x1654AE6B).Size);
        Assert.Equal(["A_OPUS", "V_VP8"], tracks.Select(t => Encoding.ASCII.GetString(Child(file, t, 0x86).Data(file))));
        Assert.Equal("OpusHead", Encoding.ASCII.GetString(Child(file, tracks[0], 0x63A2).Data(file), 0, 8));
        Assert.Equal(6_500_000UL, UInt(file, Child(file, tracks[0], 0x56AA)));
        var video = Child(file, tracks[1], 0xE0);
        Assert.Equal(320UL, UInt(file, Child(file, video, 0xB0)));
        Assert.Equal(180UL, UInt(file, Child(file, video, 0xBA)));

        // Clusters: at most five seconds each, a new one at each keyframe, block times relative to the cluster's.
        var clusters = children.Where(e => e.Id == 0x1F43B675).ToList();
        Assert.Equal(writer.Clusters, clusters.Count);
        var blocks = 0;
        foreach (var cluster in clusters)
        {
            var clusterTime = (long)UInt(file, Child(file, cluster, 0xE7));
            foreach (var block in Elements(file, cluster.DataStart, cluster.Size).Where(e => e.Id == 0xA3))
            {
                var data = block.Data(file);
                var relative = BinaryPrimitives.ReadInt16BigEndian(data.AsSpan(1));
                Assert.InRange(relative, 0, WebmWriter.MaxClusterMs);
                Assert.Equal(0, (clusterTime + relative - (data[0] == 0x82 ? 5 : 0)) % 20);
                blocks++;
            }
        }

        Assert.Equal(600 + 300, blocks);

        var cues = Elements(file, children.Single(e => e.Id == 0x1C53BB6B).DataStart, children.Single(e => e.Id == 0x1C53BB6B).Size);
        Assert.Equal(2, cues.Count(c => UInt(file, Child(file, Child(file, c, 0xB7), 0xF7)) == WebmWriter.VideoTrack));
        foreach (var cue in cues)
        {
            var position = (long)UInt(file, Child(file, Child(file, cue, 0xB7), 0xF1));
            var cluster = clusters.Single(c => c.Start == segment.DataStart + position);
            Assert.Equal(UInt(file, Child(file, cue, 0xB3)), UInt(file, Child(file, cluster, 0xE7)));
        }
    }

    [Fact]
    public void AnEmptyRecordingStillFinishesAsAValidFileWithoutCues()
    {
        using var stream = new MemoryStream();
        new WebmWriter(stream, 1, 312, 0, 0).Finish();
        var file = stream.ToArray();
        var top = Elements(file, 0, file.Length);
        var segment = top[1];
        Assert.Equal(file.Length, segment.DataStart + segment.Size);
        var children = Elements(file, segment.DataStart, segment.Size);
        Assert.DoesNotContain(children, e => e.Id == 0x1C53BB6B);
        var seekHead = children.Single(e => e.Id == 0x114D9B74);
        Assert.Equal([0x4DBBu, 0x4DBBu, 0xECu], Elements(file, seekHead.DataStart, seekHead.Size).Select(e => e.Id));
    }

    [Fact]
    public void VideoIntoAnAudioOnlyFileIsRefused()
    {
        using var stream = new MemoryStream();
        var writer = new WebmWriter(stream, 1, 312, 0, 0);
        Assert.Throws<InvalidOperationException>(() => writer.WriteVideo(new byte[10], 0, 33, keyframe: true));
    }

    internal sealed record Element(uint Id, long Start, long DataStart, long Size)
    {
        public byte[] Data(byte[] file) => file.AsSpan((int)DataStart, (int)Size).ToArray();
    }

    private static Element Child(byte[] file, Element parent, uint id) => Elements(file, parent.DataStart, parent.Size).First(e => e.Id == id);

    private static ulong UInt(byte[] file, Element element)
    {
        var value = 0UL;
        foreach (var b in element.Data(file))
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>The elements laid end to end in [start, start + length); an element running past the end fails the test.</summary>
    internal static List<Element> Elements(byte[] file, long start, long length)
    {
        var list = new List<Element>();
        var offset = start;
        while (offset < start + length)
        {
            var idLength = 1 + BitOperations(file[offset]);
            var id = 0u;
            for (var i = 0; i < idLength; i++)
            {
                id = (id << 8) | file[offset + i];
            }

            var sizeLength = 1 + BitOperations(file[offset + idLength]);
            var size = (long)(file[offset + idLength] & (0xFF >> sizeLength));
            for (var i = 1; i < sizeLength; i++)
            {
                size = (size << 8) | file[offset + idLength + i];
            }

            var dataStart = offset + idLength + sizeLength;
            Assert.True(dataStart + size <= start + length, $"element 0x{id:X} at {offset} runs past its parent");
            list.Add(new Element(id, offset, dataStart, size));
            offset = dataStart + size;
        }

        return list;
    }

    /// <summary>Leading zero bits of a vint's first byte: how many more bytes follow.</summary>
    private static int BitOperations(byte first) => System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 24;
}
