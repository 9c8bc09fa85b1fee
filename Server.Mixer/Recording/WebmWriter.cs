using System.Buffers.Binary;

namespace MediaServer.Mixer.Recording;

/// <summary>
/// Writes a WebM file (the Matroska subset, matroska.org/technical/elements.html) of one Opus
/// audio track and, optionally, one VP8 video track, from packets already encoded, so nothing
/// is re-encoded:
/// <code>
/// EBML header (DocType webm)
/// Segment
///   SeekHead   -> Info, Tracks, Cues
///   Info       TimecodeScale 1 ms, Duration (patched at the end)
///   Tracks     1: A_OPUS (CodecPrivate = OpusHead, CodecDelay = pre-skip), 2: V_VP8 (width, height)
///   Cluster*   Timecode, SimpleBlock* (track, signed 16-bit time from the cluster's, key flag)
///   Cues       one CuePoint per cluster that starts with a video keyframe
/// </code>
/// Every element gets a known size: a cluster is built in memory and written whole, and the
/// Segment's size, the Duration and the Cues' position are patched by seeking back in
/// <see cref="Finish"/>, so players can seek (an unknown-size live file cannot be). A new
/// cluster starts at every video keyframe and at least every five seconds. Single thread; the
/// cluster buffer grows to the largest cluster once and is then reused, and the cue list grows
/// by one entry per cluster, so nothing is allocated per packet.
/// </summary>
public sealed class WebmWriter
{
    public const int AudioTrack = 1;
    public const int VideoTrack = 2;

    /// <summary>The longest a cluster runs (block times are 16-bit offsets from the cluster's).</summary>
    public const int MaxClusterMs = 5000;

    private const uint EbmlId = 0x1A45DFA3;
    private const uint SegmentId = 0x18538067;
    private const uint SeekHeadId = 0x114D9B74;
    private const uint SeekId = 0x4DBB;
    private const uint SeekIdId = 0x53AB;
    private const uint SeekPositionId = 0x53AC;
    private const uint InfoId = 0x1549A966;
    private const uint TracksId = 0x1654AE6B;
    private const uint TrackEntryId = 0xAE;
    private const uint ClusterId = 0x1F43B675;
    private const uint TimecodeId = 0xE7;
    private const uint SimpleBlockId = 0xA3;
    private const uint CuesId = 0x1C53BB6B;
    private const uint CuePointId = 0xBB;
    private const uint VoidId = 0xEC;

    private readonly Stream _stream;
    private readonly bool _hasVideo;
    private readonly long _segmentSizePosition;
    private readonly long _segmentDataStart;
    private readonly long _durationPosition;
    private readonly long _cuesSeekPosition;
    private readonly EbmlBuffer _cluster = new(1 << 16);
    private readonly List<(long TimeMs, long Position, int Track)> _cues = [];
    private readonly byte[] _blockHeader = new byte[4];
    private bool _clusterOpen;
    private long _clusterTimeMs;
    private bool _finished;

    /// <param name="stream">A seekable stream positioned where the file starts.</param>
    /// <param name="audioChannels">The Opus stream's channels (1 or 2).</param>
    /// <param name="preSkip">Samples the Opus decoder drops from the start (the encoder's lookahead).</param>
    /// <param name="videoWidth">The VP8 frames' width; 0 for an audio-only file.</param>
    /// <param name="videoHeight">The VP8 frames' height; 0 for an audio-only file.</param>
    public WebmWriter(Stream stream, int audioChannels, int preSkip, int videoWidth, int videoHeight)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("A WebM file is finished by seeking back to its sizes; the stream cannot seek.", nameof(stream));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(videoWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(videoHeight);
        _stream = stream;
        _hasVideo = videoWidth > 0 && videoHeight > 0;
        var origin = stream.Position;

        var header = new EbmlBuffer();
        var ebml = header.BeginMaster(EbmlId);
        header.WriteUInt(0x4286, 1); // EBMLVersion
        header.WriteUInt(0x42F7, 1); // EBMLReadVersion
        header.WriteUInt(0x42F2, 4); // EBMLMaxIDLength
        header.WriteUInt(0x42F3, 8); // EBMLMaxSizeLength
        header.WriteString(0x4282, "webm"); // DocType
        header.WriteUInt(0x4287, 4); // DocTypeVersion
        header.WriteUInt(0x4285, 2); // DocTypeReadVersion: SimpleBlock needs 2
        header.EndMaster(ebml);

        var segment = header.BeginMaster(SegmentId);
        _segmentSizePosition = origin + segment - 8;
        _segmentDataStart = origin + segment;

        // SeekHead: Info and Tracks are known now; the Cues' position is patched at the end.
        var seekHead = header.BeginMaster(SeekHeadId);
        var infoSeek = WriteSeek(header, InfoId);
        var tracksSeek = WriteSeek(header, TracksId);
        var cuesSeekEntry = header.Length;
        WriteSeek(header, CuesId);
        header.EndMaster(seekHead);
        _cuesSeekPosition = origin + cuesSeekEntry;

        PatchSeek(header, infoSeek, header.Length - segment);
        var info = header.BeginMaster(InfoId);
        header.WriteUInt(0x2AD7B1, 1_000_000); // TimecodeScale: block times in milliseconds
        header.WriteString(0x4D80, "MediaServer"); // MuxingApp
        header.WriteString(0x5741, "MediaServer"); // WritingApp
        _durationPosition = origin + header.Length + 3; // after Duration's ID (2 bytes) and size (1)
        header.WriteFloat(0x4489, 0); // Duration in TimecodeScale units, patched at the end
        header.EndMaster(info);

        PatchSeek(header, tracksSeek, header.Length - segment);
        var tracks = header.BeginMaster(TracksId);
        var audio = header.BeginMaster(TrackEntryId);
        header.WriteUInt(0xD7, AudioTrack); // TrackNumber
        header.WriteUInt(0x73C5, AudioTrack); // TrackUID
        header.WriteUInt(0x83, 2); // TrackType: audio
        header.WriteUInt(0x9C, 0); // FlagLacing: one frame per block
        header.WriteString(0x86, "A_OPUS"); // CodecID
        Span<byte> opusHead = stackalloc byte[OpusHeader.Length];
        OpusHeader.Write(opusHead, audioChannels, preSkip);
        header.WriteBinary(0x63A2, opusHead); // CodecPrivate
        header.WriteUInt(0x56AA, (ulong)preSkip * 1_000_000_000UL / 48000); // CodecDelay, ns
        header.WriteUInt(0x56BB, 80_000_000); // SeekPreRoll: 80 ms, as the Opus mapping asks
        var audioSettings = header.BeginMaster(0xE1); // Audio
        header.WriteFloat(0xB5, 48000); // SamplingFrequency
        header.WriteUInt(0x9F, (ulong)audioChannels); // Channels
        header.EndMaster(audioSettings);
        header.EndMaster(audio);
        if (_hasVideo)
        {
            var video = header.BeginMaster(TrackEntryId);
            header.WriteUInt(0xD7, VideoTrack);
            header.WriteUInt(0x73C5, VideoTrack);
            header.WriteUInt(0x83, 1); // TrackType: video
            header.WriteUInt(0x9C, 0);
            header.WriteString(0x86, "V_VP8");
            var videoSettings = header.BeginMaster(0xE0); // Video
            header.WriteUInt(0xB0, (ulong)videoWidth); // PixelWidth
            header.WriteUInt(0xBA, (ulong)videoHeight); // PixelHeight
            header.EndMaster(videoSettings);
            header.EndMaster(video);
        }

        header.EndMaster(tracks);
        stream.Write(header.Written);
    }

    /// <summary>The end of the latest block written (time plus its duration), in ms.</summary>
    public long DurationMs { get; private set; }

    public int Clusters { get; private set; }

    /// <summary>One Opus packet at <paramref name="timeMs"/> lasting <paramref name="durationMs"/>.</summary>
    public void WriteAudio(ReadOnlySpan<byte> packet, long timeMs, int durationMs) => WriteBlock(AudioTrack, packet, timeMs, durationMs, keyframe: true);

    /// <summary>One VP8 frame at <paramref name="timeMs"/>, shown for <paramref name="durationMs"/>.</summary>
    public void WriteVideo(ReadOnlySpan<byte> frame, long timeMs, int durationMs, bool keyframe)
    {
        if (!_hasVideo)
        {
            throw new InvalidOperationException("This file was made without a video track.");
        }

        WriteBlock(VideoTrack, frame, timeMs, durationMs, keyframe);
    }

    /// <summary>Writes the last cluster and the Cues, then patches the Duration, the Cues' SeekHead entry and the Segment's size. The stream is flushed and left at the end.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        FlushCluster();
        var end = _stream.Position;
        Span<byte> patch = stackalloc byte[28];
        if (_cues.Count > 0)
        {
            var cues = new EbmlBuffer();
            var master = cues.BeginMaster(CuesId);
            foreach (var (time, position, track) in _cues)
            {
                var point = cues.BeginMaster(CuePointId);
                cues.WriteUInt(0xB3, (ulong)time); // CueTime
                var positions = cues.BeginMaster(0xB7); // CueTrackPositions
                cues.WriteUInt(0xF7, (ulong)track); // CueTrack
                cues.WriteUInt(0xF1, (ulong)position); // CueClusterPosition, from the Segment's data
                cues.EndMaster(positions);
                cues.EndMaster(point);
            }

            cues.EndMaster(master);
            _stream.Write(cues.Written);
            var cuesPosition = end;
            end = _stream.Position;
            // The Seek entry's SeekPosition is its last 8 bytes.
            EbmlBuffer.WriteBigEndian(patch, (ulong)(cuesPosition - _segmentDataStart), 8);
            WriteAt(_cuesSeekPosition + SeekEntryLength - 8, patch[..8]);
        }
        else
        {
            // Cues must hold a CuePoint: with no cluster at all, the entry pointing at them becomes Void.
            patch.Clear();
            patch[0] = (byte)VoidId;
            EbmlBuffer.WriteSize(patch[1..9], SeekEntryLength - 9, 8);
            WriteAt(_cuesSeekPosition, patch[..SeekEntryLength]);
        }

        BinaryPrimitives.WriteDoubleBigEndian(patch, DurationMs);
        WriteAt(_durationPosition, patch[..8]);
        EbmlBuffer.WriteSize(patch, end - _segmentDataStart, 8);
        WriteAt(_segmentSizePosition, patch[..8]);
        _stream.Position = end;
        _stream.Flush();
    }

    /// <summary>A Seek entry: ID (2) + size (8) + SeekID element (2 + 1 + 4) + SeekPosition element (2 + 1 + 8).</summary>
    private const int SeekEntryLength = 28;

    private static int WriteSeek(EbmlBuffer buffer, uint target)
    {
        var seek = buffer.BeginMaster(SeekId);
        Span<byte> id = stackalloc byte[4];
        EbmlBuffer.WriteBigEndian(id, target, 4);
        buffer.WriteBinary(SeekIdId, id);
        buffer.WriteUInt(SeekPositionId, 0, width: 8);
        buffer.EndMaster(seek);
        return buffer.Length - 8;
    }

    private static void PatchSeek(EbmlBuffer buffer, int valueOffset, long position)
    {
        Span<byte> value = stackalloc byte[8];
        EbmlBuffer.WriteBigEndian(value, (ulong)position, 8);
        buffer.Patch(valueOffset, value);
    }

    private void WriteBlock(int track, ReadOnlySpan<byte> data, long timeMs, int durationMs, bool keyframe)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        ArgumentOutOfRangeException.ThrowIfNegative(timeMs);
        ArgumentOutOfRangeException.ThrowIfNegative(durationMs);
        var relative = timeMs - _clusterTimeMs;
        var videoKey = track == VideoTrack && keyframe;
        if (!_clusterOpen || (videoKey && _cluster.Length > 0) || relative > MaxClusterMs || relative < short.MinValue)
        {
            FlushCluster();
            OpenCluster(timeMs, track, videoKey);
            relative = 0;
        }

        // SimpleBlock: track number as a vint, 16-bit signed time from the cluster's, flags (0x80 keyframe).
        _cluster.WriteId(SimpleBlockId);
        _cluster.WriteSize(4 + data.Length);
        _blockHeader[0] = (byte)(0x80 | track);
        BinaryPrimitives.WriteInt16BigEndian(_blockHeader.AsSpan(1), (short)relative);
        _blockHeader[3] = keyframe ? (byte)0x80 : (byte)0;
        _cluster.WriteRaw(_blockHeader);
        _cluster.WriteRaw(data);
        DurationMs = Math.Max(DurationMs, timeMs + durationMs);
    }

    private void OpenCluster(long timeMs, int track, bool videoKey)
    {
        // A cue where playback can start cleanly: a cluster opening on a video keyframe, or any
        // cluster of an audio-only file; the first cluster always gets one.
        if (videoKey || !_hasVideo || _cues.Count == 0)
        {
            _cues.Add((timeMs, _stream.Position - _segmentDataStart, videoKey || !_hasVideo ? track : AudioTrack));
        }

        _cluster.Clear();
        _cluster.WriteUInt(TimecodeId, (ulong)timeMs);
        _clusterTimeMs = timeMs;
        _clusterOpen = true;
    }

    private void FlushCluster()
    {
        if (!_clusterOpen)
        {
            return;
        }

        Span<byte> head = stackalloc byte[12];
        EbmlBuffer.WriteBigEndian(head, ClusterId, 4);
        EbmlBuffer.WriteSize(head[4..], _cluster.Length, 8);
        _stream.Write(head);
        _stream.Write(_cluster.Written);
        _clusterOpen = false;
        Clusters++;
    }

    private void WriteAt(long position, ReadOnlySpan<byte> bytes)
    {
        _stream.Position = position;
        _stream.Write(bytes);
    }
}
