using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>
/// Frame assembly from RTP VP8 (RFC 7741): order, reordering, duplicates, loss and the keyframe
/// requests that follow, sequence wrap. Time is driven through nowMs; nothing sleeps.
/// </summary>
public sealed class Vp8DepacketizerTests
{
    private readonly List<(KeyframeRequestKind Kind, long AtMs)> _requests = [];
    private readonly Vp8Depacketizer _depacketizer;
    private readonly byte[] _output = new byte[1 << 20];
    private long _now = 10_000;

    public Vp8DepacketizerTests()
    {
        _depacketizer = new Vp8Depacketizer(kind => _requests.Add((kind, _now)));
    }

    [Fact]
    public void InOrderFramesComeOutWhole()
    {
        var stream = new Vp8RtpStream();
        var frames = new[] { stream.SyntheticFrame(true, 5000), stream.SyntheticFrame(false, 1100), stream.SyntheticFrame(false, 2400) };
        var packets = frames.Select(stream.Packets).ToArray();
        Assert.True(_depacketizer.NeedsKeyframe, "nothing decodable before the first keyframe");

        foreach (var packet in packets.SelectMany(p => p))
        {
            Push(packet);
        }

        for (var i = 0; i < frames.Length; i++)
        {
            Assert.True(_depacketizer.TryTakeFrame(_output, out var length, out var keyframe, out var timestamp));
            Assert.Equal(frames[i], _output[..length]);
            Assert.Equal(i == 0, keyframe);
            Assert.Equal(packets[i][0].Timestamp, timestamp);
        }

        Assert.False(_depacketizer.TryTakeFrame(_output, out _, out _, out _));
        Assert.False(_depacketizer.NeedsKeyframe);
        Assert.Empty(_requests);
        Assert.Equal(0, _depacketizer.FramesDropped);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void PacketsShuffledWithinAndAcrossTwoFramesStillMakeBothFrames(int seed)
    {
        var stream = new Vp8RtpStream();
        var key = stream.SyntheticFrame(true, 6000);
        var delta = stream.SyntheticFrame(false, 4000);
        var packets = stream.Packets(key).Concat(stream.Packets(delta)).ToArray();
        new Random(seed).Shuffle(packets);

        // The mixer may look at any moment; an early look must not give anything up.
        var taken = new List<(byte[] Frame, bool Keyframe)>();
        foreach (var packet in packets)
        {
            Push(packet);
            while (_depacketizer.TryTakeFrame(_output, out var length, out var keyframe, out _))
            {
                taken.Add((_output[..length], keyframe));
            }
        }

        Assert.Equal(2, taken.Count);
        Assert.Equal(key, taken[0].Frame);
        Assert.True(taken[0].Keyframe);
        Assert.Equal(delta, taken[1].Frame);
        Assert.False(taken[1].Keyframe);
        Assert.Equal(0, _depacketizer.FramesDropped);
        Assert.Empty(_requests);
    }

    [Fact]
    public void DuplicatesAreIgnored()
    {
        var stream = new Vp8RtpStream();
        var key = stream.SyntheticFrame(true, 3000);
        var delta = stream.SyntheticFrame(false, 3000);
        var keyPackets = stream.Packets(key);
        var deltaPackets = stream.Packets(delta);
        foreach (var packet in keyPackets)
        {
            Push(packet);
            Push(packet);
        }

        Assert.True(_depacketizer.TryTakeFrame(_output, out var length, out _, out _));
        Assert.Equal(key, _output[..length]);

        // Copies of a frame already taken, mixed into the next one.
        foreach (var packet in deltaPackets)
        {
            Push(keyPackets[0]);
            Push(packet);
        }

        Assert.True(_depacketizer.TryTakeFrame(_output, out length, out _, out _));
        Assert.Equal(delta, _output[..length]);
        Assert.False(_depacketizer.TryTakeFrame(_output, out _, out _, out _));
        Assert.Equal(keyPackets.Length + deltaPackets.Length, _depacketizer.PacketsDiscarded);
        Assert.Empty(_requests);
    }

    [Fact]
    public void LostPacketDropsFramesUntilAKeyframeAndAsksPliThenFirAtMostEvery300Ms()
    {
        var stream = new Vp8RtpStream();
        PushAll(stream.Packets(stream.SyntheticFrame(true, 3000)));
        Assert.True(TakeFrame(out var keyframe) && keyframe);

        // Frame 1 loses its middle packet; frame 2 arrives whole 33 ms later.
        var lossy = stream.Packets(stream.SyntheticFrame(false, 3000));
        Assert.Equal(3, lossy.Length);
        Push(lossy[0]);
        Push(lossy[2]);
        Assert.False(TakeFrame(out _));
        Assert.False(_depacketizer.NeedsKeyframe, "a hole is not a loss until later packets waited out the reorder grace");

        _now += 33;
        PushAll(stream.Packets(stream.SyntheticFrame(false, 1000)));
        Assert.False(TakeFrame(out _), "frame 2 predicts from the lost frame 1");
        Assert.True(_depacketizer.NeedsKeyframe);
        Assert.Equal(2, _depacketizer.FramesDropped);
        Assert.Equal([(KeyframeRequestKind.Pli, _now)], _requests);
        var lossAt = _now;

        // Delta frames keep coming for 1.5 s and are all skipped; the requests escalate.
        for (var i = 0; i < 45; i++)
        {
            _now += 33;
            PushAll(stream.Packets(stream.SyntheticFrame(false, 800)));
            Assert.False(TakeFrame(out _));
        }

        Assert.Equal(KeyframeRequestKind.Pli, _requests[0].Kind);
        Assert.Equal(KeyframeRequestKind.Pli, _requests[1].Kind);
        Assert.InRange(_requests[1].AtMs - lossAt, 300, 333);
        Assert.Equal(KeyframeRequestKind.Fir, _requests[2].Kind);
        Assert.InRange(_requests[2].AtMs - _requests[1].AtMs, 500, 533);
        Assert.All(_requests.Skip(2), r => Assert.Equal(KeyframeRequestKind.Fir, r.Kind));
        for (var i = 1; i < _requests.Count; i++)
        {
            Assert.True(_requests[i].AtMs - _requests[i - 1].AtMs >= 300, "never more than one request per 300 ms");
        }

        // The keyframe arrives: it comes out, and the requests stop.
        var count = _requests.Count;
        _now += 33;
        var key = stream.SyntheticFrame(true, 4000);
        PushAll(stream.Packets(key));
        Assert.True(TakeFrame(out keyframe) && keyframe);
        Assert.Equal(key, _output[..key.Length]);
        Assert.False(_depacketizer.NeedsKeyframe);
        for (var i = 0; i < 30; i++)
        {
            _now += 33;
            PushAll(stream.Packets(stream.SyntheticFrame(false, 800)));
            Assert.True(TakeFrame(out _));
        }

        Assert.Equal(count, _requests.Count);
    }

    [Fact]
    public void ALateMissingPacketWithinTheGraceStillCompletesTheFrame()
    {
        var stream = new Vp8RtpStream();
        PushAll(stream.Packets(stream.SyntheticFrame(true, 3000)));
        Assert.True(TakeFrame(out _));

        var first = stream.Packets(stream.SyntheticFrame(false, 2000));
        var second = stream.Packets(stream.SyntheticFrame(false, 2000));
        Push(first[1]);
        PushAll(second);
        Assert.False(TakeFrame(out _));
        _now += Vp8Depacketizer.ReorderGraceMs - 1;
        Assert.False(TakeFrame(out _));
        Push(first[0]);
        Assert.True(TakeFrame(out _));
        Assert.True(TakeFrame(out _));
        Assert.Equal(0, _depacketizer.FramesDropped);
        Assert.False(_depacketizer.NeedsKeyframe);
    }

    [Fact]
    public void AKeyframeBehindAHoleComesOutAtOnce()
    {
        var stream = new Vp8RtpStream();
        PushAll(stream.Packets(stream.SyntheticFrame(true, 3000)));
        Assert.True(TakeFrame(out _));

        var lost = stream.Packets(stream.SyntheticFrame(false, 2000));
        var key = stream.SyntheticFrame(true, 5000);
        Push(lost[0]);
        PushAll(stream.Packets(key));
        Assert.True(TakeFrame(out var keyframe) && keyframe);
        Assert.Equal(key, _output[..key.Length]);
        Assert.False(_depacketizer.NeedsKeyframe);
        Assert.Empty(_requests);
    }

    [Fact]
    public void StreamThatStartsWithDeltaFramesAsksForAKeyframe()
    {
        var stream = new Vp8RtpStream();
        PushAll(stream.Packets(stream.SyntheticFrame(false, 2000)));
        Assert.False(TakeFrame(out _));
        Assert.Empty(_requests); // an earlier keyframe may still be on its way

        // The depacketizer's clock is the nowMs of the packets: the next frame moves it on.
        _now += 33;
        PushAll(stream.Packets(stream.SyntheticFrame(false, 2000)));
        Assert.False(TakeFrame(out _));
        Assert.Equal([(KeyframeRequestKind.Pli, _now)], _requests);
        Assert.Equal(2, _depacketizer.FramesDropped);

        // Joined in the middle of a keyframe: its tail alone is no frame either.
        var key = stream.Packets(stream.SyntheticFrame(true, 5000));
        _now += 33;
        PushAll(key[2..]);
        var next = stream.SyntheticFrame(true, 3000);
        PushAll(stream.Packets(next));
        Assert.True(TakeFrame(out var keyframe) && keyframe);
        Assert.Equal(next, _output[..next.Length]);
    }

    [Fact]
    public void EarlierPacketsArrivingLateAtTheStartAreStillUsed()
    {
        var stream = new Vp8RtpStream();
        var key = stream.SyntheticFrame(true, 5000);
        var packets = stream.Packets(key);
        PushAll(packets[2..]);
        Push(packets[1]);
        Push(packets[0]);
        Assert.True(TakeFrame(out var keyframe) && keyframe);
        Assert.Equal(key, _output[..key.Length]);
    }

    [Theory]
    [InlineData(65530)]
    [InlineData(65535)]
    [InlineData(0)]
    public void SequenceNumbersWrap(int firstSequence)
    {
        var stream = new Vp8RtpStream((ushort)firstSequence);
        var frames = new[] { stream.SyntheticFrame(true, 4000), stream.SyntheticFrame(false, 4000), stream.SyntheticFrame(false, 9000) };
        var packets = frames.Select(stream.Packets).SelectMany(p => p).ToArray();
        new Random(firstSequence).Shuffle(packets.AsSpan(2, 6));
        PushAll(packets);
        foreach (var frame in frames)
        {
            Assert.True(TakeFrame(out _));
            Assert.Equal(frame, _output[..frame.Length]);
        }

        Assert.Equal(0, _depacketizer.FramesDropped);
    }

    [Theory]
    [InlineData(40000)] // far behind in 16-bit arithmetic: a new numbering
    [InlineData(1200)]  // ahead by more than the ring holds
    public void AJumpBeyondTheRingStartsOver(int newSequence)
    {
        var stream = new Vp8RtpStream(100);
        PushAll(stream.Packets(stream.SyntheticFrame(true, 2000)));
        Assert.True(TakeFrame(out _));

        var restarted = new Vp8RtpStream((ushort)newSequence);
        var key = restarted.SyntheticFrame(true, 3000);
        PushAll(restarted.Packets(key));
        Assert.True(TakeFrame(out var keyframe) && keyframe);
        Assert.Equal(key, _output[..key.Length]);
    }

    [Fact]
    public void MalformedPayloadsAreDiscarded()
    {
        Push(new Vp8RtpPacket([], 1, 0, true));
        Push(new Vp8RtpPacket([0x90], 2, 0, true));          // X set, extension byte missing
        Push(new Vp8RtpPacket([0x90, 0x80, 0x81], 3, 0, true)); // 15-bit PictureID cut short
        Push(new Vp8RtpPacket([0x10], 4, 0, true));          // descriptor only, no VP8 data
        Assert.Equal(4, _depacketizer.PacketsDiscarded);
        Assert.False(TakeFrame(out _));
    }

    [Fact]
    public void MinimalDescriptorsFromOtherSendersWork()
    {
        // One-byte descriptors (X = 0): S on the first packet only.
        var key = new Vp8RtpStream().SyntheticFrame(true, 1500);
        Push(new Vp8RtpPacket([0x10, .. key[..700]], 5, 90, false));
        Push(new Vp8RtpPacket([0x00, .. key[700..]], 6, 90, true));
        Assert.True(TakeFrame(out var keyframe) && keyframe);
        Assert.Equal(key, _output[..key.Length]);
    }

    [Fact]
    public void RealEncodedFramesSurvivePacketizingShufflingAndReassembly()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderSettings(1280, 720, 30, 1500));
        var encoded = new byte[encoder.MaxFrameLength];
        var stream = new Vp8RtpStream(65500);
        var source = new I420Frame(1280, 720);
        var random = new Random(8);
        for (var i = 0; i < 3; i++)
        {
            Vp8TestPattern.Draw(source, i);
            var frame = encoded.AsSpan(0, encoder.Encode(source, i * 3000L, false, encoded, out var wasKey)).ToArray();
            var packets = stream.Packets(frame);
            random.Shuffle(packets);
            PushAll(packets);
            Assert.True(TakeFrame(out var keyframe));
            Assert.Equal(wasKey, keyframe);
            Assert.Equal(frame, _output[..frame.Length]);
        }
    }

    private bool TakeFrame(out bool keyframe) => _depacketizer.TryTakeFrame(_output, out _, out keyframe, out _);

    private void Push(Vp8RtpPacket packet) => _depacketizer.Push(packet.Payload, packet.Sequence, packet.Timestamp, packet.Marker, _now);

    private void PushAll(IEnumerable<Vp8RtpPacket> packets)
    {
        foreach (var packet in packets)
        {
            Push(packet);
        }
    }
}
