using System.Buffers.Binary;
using MediaServer.Media.Dtls;
using MediaServer.Media.Srtp;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Video;
using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Sdp;

namespace MediaServer.Media;

/// <summary>
/// The media side of one call leg: the SDP negotiation with its browser, the WebRTC
/// transport (replaced on re-attach while the leg lives on), the streams we send with their
/// SSRCs, reception statistics, and the relay to a target leg (itself for echo, the other
/// party for a bridged call). RTP is relayed without transcoding: header rewritten, payload
/// untouched. Keyframe requests and REMB go back to the source, NACKs are answered from a
/// history, and sender/receiver reports go out once a second. Owned by a call.
/// </summary>
internal sealed class MediaLeg : IWebRtcTransportListener, IDisposable
{
    private const byte KindNone = 0;
    private const byte KindAudio = 1;
    private const byte KindVideo = 2;
    private const byte NoPayloadType = 0xFF;
    private const int KeyFrameRequestIntervalMs = 250;

    private readonly MediaEndpoint _endpoint;
    private readonly DtlsCertificate _certificate;
    private readonly IMediaLegListener _listener;
    private readonly byte[] _kindByPayloadType = new byte[128];
    private readonly string?[] _codecByPayloadType = new string?[128];
    private readonly byte[] _relayPayloadType = new byte[128];
    private readonly byte[] _scratch = GC.AllocateArray<byte>(MediaEndpoint.BufferSize + SrtpSession.MaxTrailer, pinned: true);
    private readonly byte[] _rtcp = GC.AllocateArray<byte>(1500, pinned: true);
    private readonly byte[] _mixed = GC.AllocateArray<byte>(MediaEndpoint.BufferSize + SrtpSession.MaxTrailer, pinned: true);
    private readonly RtcpReportBlock[] _blocks = new RtcpReportBlock[2];
    private readonly Lock _gate = new();
    private volatile WebRtcTransport? _transport;
    private WebRtcTransport? _pending;
    private SessionDescription? _pendingOffer;
    private volatile MediaLeg? _target;
    private volatile MixerMember? _audioInput;
    private byte _audioPayloadType = NoPayloadType;
    private byte _videoPayloadType = NoPayloadType;
    private volatile IVideoInput? _videoInput;
    private readonly byte[] _canvas = GC.AllocateArray<byte>(MediaEndpoint.BufferSize + SrtpSession.MaxTrailer, pinned: true);
    private long _lastKeyFrameRequestMs;
    private byte _firSequence;
    private bool _disposed;

    public MediaLeg(MediaEndpoint endpoint, DtlsCertificate certificate, CodecList codecs, IMediaLegListener listener, string cname)
    {
        _endpoint = endpoint;
        _certificate = certificate;
        Codecs = codecs;
        _listener = listener;
        Cname = cname;
        StreamId = Guid.NewGuid().ToString("N")[..16];
        AudioSsrc = RandomSsrc();
        VideoSsrc = RandomSsrc();
        Array.Fill(_relayPayloadType, NoPayloadType);
    }

    public CodecList Codecs { get; }

    public string Cname { get; }

    public string StreamId { get; }

    public uint AudioSsrc { get; }

    public uint VideoSsrc { get; }

    /// <summary>What was agreed, per m-line; null before the first negotiation.</summary>
    public IReadOnlyList<NegotiatedMedia>? Negotiated { get; private set; }

    public bool HasVideo => Negotiated?.Any(m => m.Accepted && m.Kind == MediaKind.Video) ?? false;

    public bool HasAudio => Negotiated?.Any(m => m.Accepted && m.Kind == MediaKind.Audio) ?? false;

    public bool Stereo { get; private set; }

    public OutboundRtpStream? AudioOut { get; private set; }

    public OutboundRtpStream? VideoOut { get; private set; }

    public InboundRtpStream AudioIn { get; } = new(48000);

    public InboundRtpStream VideoIn { get; } = new(90000);

    /// <summary>On hold: nothing is relayed from or to this leg (verto.modify hold).</summary>
    public bool Held { get; set; }

    public WebRtcTransport? Transport => _transport;

    public long RelayedPackets;

    public long DroppedPackets;

    /// <summary>Where this leg's media goes: itself (echo) or the bridged peer; null stops the relay.</summary>
    public MediaLeg? Target
    {
        get => _target;
        set
        {
            lock (_gate)
            {
                _target = value;
                MapPayloadTypes(value);
            }
        }
    }

    /// <summary>
    /// In a conference: where this leg's audio goes (the mixer's jitter buffer) instead of a
    /// relay target. While set, nothing of this leg is relayed; the mixer sends our audio.
    /// </summary>
    public MixerMember? AudioInput
    {
        get => _audioInput;
        set
        {
            lock (_gate)
            {
                _audioInput = value;
                _target = null;
                MapPayloadTypes(null);
            }
        }
    }

    /// <summary>In a conference: where this leg's VP8 goes (its source on the canvas); null for none.</summary>
    public IVideoInput? VideoInput
    {
        get => _videoInput;
        set => _videoInput = value;
    }

    /// <summary>In a conference: the browser asked (PLI/FIR) for a keyframe of the canvas we send it.</summary>
    public Action? CanvasKeyframeRequested { get; set; }

    /// <summary>In a conference: the browser's receive bandwidth estimate (REMB, bits per second) for the canvas.</summary>
    public Action<long>? CanvasBandwidthEstimate { get; set; }

    /// <summary>Whether the agreed video codec is VP8 (the only one the canvas decodes and encodes).</summary>
    public bool HasVp8 => _videoPayloadType != NoPayloadType;

    /// <summary>
    /// Canvas thread: sends one packet of the canvas stream to this leg's browser (fresh header
    /// on our video SSRC, kept for NACKs, SRTP). Nothing is sent while held or not yet secure.
    /// </summary>
    public void SendVideo(ReadOnlySpan<byte> payload, bool marker, uint timestamp)
    {
        var stream = VideoOut;
        var transport = _transport;
        var payloadType = _videoPayloadType;
        if (stream is null || Held || transport is null || !transport.IsSecure || payloadType == NoPayloadType || payload.Length > MediaEndpoint.BufferSize - 12)
        {
            return;
        }

        var header = stream.WriteOriginatedVideo(_canvas, payloadType, marker, timestamp, payload.Length, Environment.TickCount64);
        payload.CopyTo(_canvas.AsSpan(header));
        var length = header + payload.Length;
        stream.History?.Store(BinaryPrimitives.ReadUInt16BigEndian(_canvas.AsSpan(2)), _canvas.AsSpan(0, length));
        if (transport.SendRtp(_canvas, length))
        {
            RelayedPackets++;
        }
    }

    /// <summary>The negotiated audio codec as the mixer knows it; null when audio was not agreed or the codec is not one the mixer has.</summary>
    public (AudioCodecKind Kind, int Channels, int ClockRate)? AudioCodec
    {
        get
        {
            var codec = Negotiated?.FirstOrDefault(m => m.Accepted && m.Kind == MediaKind.Audio)?.Codec;
            AudioCodecKind? kind = codec?.Name.ToLowerInvariant() switch
            {
                "opus" => AudioCodecKind.Opus,
                "pcmu" => AudioCodecKind.Pcmu,
                "pcma" => AudioCodecKind.Pcma,
                _ => null,
            };
            return kind is { } k ? (k, k == AudioCodecKind.Opus && Stereo ? 2 : 1, codec!.ClockRate) : null;
        }
    }

    /// <summary>
    /// Mixer thread: sends one encoded frame to this leg's browser as our audio stream (fresh
    /// header, our SSRC and sequence, SRTP). A held or not-yet-secure leg sends nothing but
    /// its timestamp still advances.
    /// </summary>
    public void SendAudio(ReadOnlySpan<byte> payload, int timestampUnits)
    {
        var stream = AudioOut;
        var transport = _transport;
        var payloadType = _audioPayloadType;
        if (stream is null)
        {
            return;
        }

        if (Held || transport is null || !transport.IsSecure || payloadType == NoPayloadType || payload.Length > MediaEndpoint.BufferSize - 12)
        {
            stream.Skip(timestampUnits);
            return;
        }

        var header = stream.WriteOriginated(_mixed, payloadType, timestampUnits, payload.Length, Environment.TickCount64);
        payload.CopyTo(_mixed.AsSpan(header));
        if (transport.SendRtp(_mixed, header + payload.Length))
        {
            RelayedPackets++;
        }
    }

    /// <summary>Answers a browser's offer (verto.invite) and starts a transport for it.</summary>
    public bool TryAnswer(SessionDescription offer, bool stereo, out SessionDescription? answer, out NegotiationFailure failure, out string? error)
    {
        var transport = new WebRtcTransport(_endpoint, _certificate) { Listener = this };
        var options = new AnswerOptions
        {
            Transport = LocalTransportOf(transport),
            Codecs = Codecs,
            LocalSsrc = (_, kind) => kind == MediaKind.Video ? VideoSsrc : AudioSsrc,
            Cname = Cname,
            StreamId = StreamId,
            Stereo = stereo,
        };
        if (!OfferAnswer.TryCreateAnswer(offer, options, out answer, out var media, out failure, out error))
        {
            transport.Dispose();
            return false;
        }

        var remote = OfferAnswer.GetRemoteTransport(offer);
        if (remote is null)
        {
            transport.Dispose();
            failure = NegotiationFailure.MissingIceCredentials;
            error = "the offer has no ICE credentials or fingerprint";
            return false;
        }

        Stereo = stereo;
        Apply(media!);
        transport.Start(remote.IceUfrag, remote.Fingerprint.Algorithm, remote.Fingerprint.Value, remote.Setup == DtlsSetup.Passive ? DtlsRole.Client : DtlsRole.Server);
        Replace(transport);
        return true;
    }

    /// <summary>
    /// Our offer on a fresh transport: to ring a browser, or to re-attach this leg after a
    /// reconnect (then the codecs, payload types and SSRCs already agreed are kept). The
    /// current transport carries media until the answer arrives.
    /// </summary>
    public SessionDescription CreateOffer(bool audio, bool video, IReadOnlyDictionary<string, int>? payloadTypes, bool stereo)
    {
        var transport = new WebRtcTransport(_endpoint, _certificate) { Listener = this };
        var offer = OfferAnswer.CreateOffer(new OfferOptions
        {
            Transport = LocalTransportOf(transport),
            Codecs = Codecs,
            Audio = audio,
            Video = video,
            AudioDirection = MediaDirection.SendRecv,
            VideoDirection = MediaDirection.SendRecv,
            AudioSsrc = AudioSsrc,
            VideoSsrc = VideoSsrc,
            Cname = Cname,
            StreamId = StreamId,
            Stereo = stereo,
            PreferredPayloadTypes = payloadTypes,
            SessionId = Random.Shared.NextInt64(1, long.MaxValue),
            Version = 1,
        });
        lock (_gate)
        {
            _pending?.Dispose();
            _pending = transport;
            _pendingOffer = offer;
        }

        return offer;
    }

    /// <summary>The offer to re-attach this leg: same media, fresh ICE credentials and DTLS.</summary>
    public SessionDescription CreateReattachOffer() => CreateOffer(HasAudio, HasVideo, PayloadTypesByCodec(), Stereo);

    /// <summary>The payload type we agreed for each codec name (lowercase), to offer the same ones to another browser.</summary>
    public Dictionary<string, int> PayloadTypesByCodec()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var media in Negotiated ?? [])
        {
            foreach (var codec in media.Codecs)
            {
                map.TryAdd(codec.Name.ToLowerInvariant(), codec.PayloadType);
            }

            if (media.TelephoneEvent is { } dtmf)
            {
                map.TryAdd("telephone-event", dtmf.PayloadType);
            }
        }

        return map;
    }

    /// <summary>Applies the browser's answer to our last offer and moves media onto the new transport.</summary>
    public bool TryApplyAnswer(SessionDescription answer, out NegotiationFailure failure, out string? error)
    {
        WebRtcTransport? transport;
        SessionDescription? offer;
        lock (_gate)
        {
            transport = _pending;
            offer = _pendingOffer;
        }

        if (transport is null || offer is null)
        {
            failure = NegotiationFailure.NoMedia;
            error = "no offer is waiting for an answer";
            return false;
        }

        if (!OfferAnswer.TryApplyAnswer(offer, answer, out var media, out failure, out error))
        {
            return false;
        }

        var remote = OfferAnswer.GetRemoteTransport(answer);
        if (remote is null)
        {
            failure = NegotiationFailure.MissingIceCredentials;
            error = "the answer has no ICE credentials or fingerprint";
            return false;
        }

        lock (_gate)
        {
            _pending = null;
            _pendingOffer = null;
        }

        Apply(media!);
        transport.Start(remote.IceUfrag, remote.Fingerprint.Algorithm, remote.Fingerprint.Value, remote.Setup == DtlsSetup.Passive ? DtlsRole.Client : DtlsRole.Server);
        Replace(transport);
        return true;
    }

    /// <summary>Asks this leg's browser for a keyframe of the video it sends us (PLI, RFC 4585 §6.3.1), at most every 250 ms.</summary>
    public void RequestKeyFrame()
    {
        var now = Environment.TickCount64;
        if (!VideoIn.HasSsrc || now - Interlocked.Read(ref _lastKeyFrameRequestMs) < KeyFrameRequestIntervalMs)
        {
            return;
        }

        Interlocked.Exchange(ref _lastKeyFrameRequestMs, now);
        lock (_rtcp)
        {
            var writer = new RtcpWriter(_rtcp);
            writer.TryWriteReceiverReport(RtcpSenderSsrc, []);
            writer.TryWritePictureLossIndication(RtcpSenderSsrc, VideoIn.Ssrc);
            writer.TryWriteFullIntraRequest(RtcpSenderSsrc, VideoIn.Ssrc, _firSequence++);
            _transport?.SendRtcp(_rtcp, writer.Length);
        }
    }

    /// <summary>Once a second: sender reports for what we send, receiver report blocks for what we receive, CNAME.</summary>
    public void SendReports(long nowMs)
    {
        var transport = _transport;
        if (transport is null || !transport.IsSecure)
        {
            return;
        }

        lock (_rtcp)
        {
            var blockCount = 0;
            if (AudioIn.TryMakeReportBlock(nowMs, out var audioBlock))
            {
                _blocks[blockCount++] = audioBlock;
            }

            if (VideoIn.TryMakeReportBlock(nowMs, out var videoBlock))
            {
                _blocks[blockCount++] = videoBlock;
            }

            var blocks = _blocks.AsSpan(0, blockCount);
            var writer = new RtcpWriter(_rtcp);
            var ntp = NtpTimestamp(DateTime.UtcNow);
            var wroteReport = false;
            foreach (var stream in (ReadOnlySpan<OutboundRtpStream?>)[AudioOut, VideoOut])
            {
                if (stream is not null && stream.TryGetSenderInfo(nowMs, out var rtpTimestamp, out var packets, out var octets))
                {
                    writer.TryWriteSenderReport(stream.Ssrc, ntp, rtpTimestamp, packets, octets, wroteReport ? [] : blocks);
                    wroteReport = true;
                }
            }

            if (!wroteReport)
            {
                writer.TryWriteReceiverReport(RtcpSenderSsrc, blocks);
            }

            writer.TryWriteSdesCname(RtcpSenderSsrc, System.Text.Encoding.ASCII.GetBytes(Cname));
            transport.SendRtcp(_rtcp, writer.Length);
        }
    }

    public void OnRtp(WebRtcTransport transport, Span<byte> buffer, int length)
    {
        if (!RtpPacket.TryParse(buffer[..length], out var packet))
        {
            Interlocked.Increment(ref _endpoint.Metrics.MediaMalformed);
            return;
        }

        var payloadType = packet.PayloadType;
        var kind = payloadType < 128 ? _kindByPayloadType[payloadType] : KindNone;
        if (kind == KindNone)
        {
            DroppedPackets++;
            return;
        }

        var now = Environment.TickCount64;
        (kind == KindVideo ? VideoIn : AudioIn).OnPacket(packet, now);
        if (_audioInput is { } input)
        {
            // In a conference: audio of the agreed codec goes to the mixer (DTMF events and
            // video are not mixed here); a held member adds nothing.
            if (kind == KindAudio && payloadType == _audioPayloadType && !Held)
            {
                input.OnRtp(packet.Payload, packet.SequenceNumber, packet.Timestamp, packet.Ssrc, now);
            }
            else if (kind == KindVideo && payloadType == _videoPayloadType && !Held && _videoInput is { } video)
            {
                video.OnRtp(packet.Payload, packet.SequenceNumber, packet.Timestamp, packet.Marker, now);
            }

            return;
        }

        var target = _target;
        if (Held || target is null || target.Held)
        {
            return;
        }

        var outPayloadType = _relayPayloadType[payloadType];
        if (outPayloadType == NoPayloadType)
        {
            DroppedPackets++;
            return;
        }

        target.Relay(kind, buffer, length, packet, outPayloadType, now);
    }

    public void OnRtcp(WebRtcTransport transport, Span<byte> buffer, int length)
    {
        var reader = new RtcpCompoundReader(buffer[..length]);
        var now = Environment.TickCount64;
        while (reader.TryReadNext(out var packet))
        {
            switch (packet.PacketType)
            {
                case RtcpPacketType.SenderReport when RtcpSenderReport.TryParse(packet, out var report):
                    if (VideoIn.HasSsrc && report.Ssrc == VideoIn.Ssrc)
                    {
                        VideoIn.OnSenderReport(report.NtpTimestamp, now);
                    }
                    else if (AudioIn.HasSsrc && report.Ssrc == AudioIn.Ssrc)
                    {
                        AudioIn.OnSenderReport(report.NtpTimestamp, now);
                    }

                    break;
                case RtcpPacketType.TransportFeedback or RtcpPacketType.PayloadFeedback when RtcpFeedback.TryParse(packet, out var feedback):
                    OnFeedback(feedback);
                    break;
            }
        }

        if (reader.IsMalformed)
        {
            Interlocked.Increment(ref _endpoint.Metrics.MediaMalformed);
        }
    }

    public void OnSecure(WebRtcTransport transport)
    {
        if (transport != _transport)
        {
            return;
        }

        // A browser that just (re)connected needs a keyframe to show anything: ask the source.
        _target?.RequestKeyFrame();
        RequestKeyFrame();
        _listener.OnMediaReady(this);
    }

    public void OnFailed(WebRtcTransport transport, TransportFailure failure, string reason)
    {
        if (transport == _transport)
        {
            if (failure == TransportFailure.PeerClosed && Volatile.Read(ref _pending) is not null)
            {
                // A re-attach is under way: the browser closes its old peer connection (close_notify)
                // while it answers our new offer. That is the old transport ending, not the call.
                return;
            }

            _listener.OnMediaFailed(this, failure, reason);
        }
        else if (transport == _pending && failure == TransportFailure.DtlsFailed)
        {
            // A re-attach whose DTLS failed (say, a wrong fingerprint) ends the call like a first one would.
            _listener.OnMediaFailed(this, failure, reason);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _target = null;
            _pending?.Dispose();
            _pending = null;
        }

        _transport?.Dispose();
        _transport = null;
    }

    private uint RtcpSenderSsrc => AudioOut?.Ssrc ?? VideoOut?.Ssrc ?? AudioSsrc;

    /// <summary>Sends a packet relayed from a source leg (receive thread): header rewritten in place, kept for NACKs, protected, sent.</summary>
    private void Relay(byte kind, Span<byte> buffer, int length, in RtpPacket packet, byte payloadType, long now)
    {
        var stream = kind == KindVideo ? VideoOut : AudioOut;
        var transport = _transport;
        if (stream is null || transport is null || !transport.IsSecure)
        {
            return;
        }

        stream.Rewrite(buffer, packet, payloadType, now);
        stream.History?.Store(BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]), buffer[..length]);
        if (transport.SendRtp(buffer, length))
        {
            RelayedPackets++;
        }
    }

    private void OnFeedback(in RtcpFeedback feedback)
    {
        // REMB names the SSRCs it covers in its FCI, not in the media-SSRC field, so it is
        // handled before the media-SSRC check that the other feedback needs.
        if (feedback.IsRemb)
        {
            if (feedback.TryGetRemb(out var bitrate, out _))
            {
                // Relayed: the other browser adapts; in a conference, the canvas encoder does.
                _target?.SendRemb(bitrate);
                CanvasBandwidthEstimate?.Invoke((long)Math.Min(bitrate, long.MaxValue));
            }

            return;
        }

        var video = VideoOut;
        if (video is null || feedback.MediaSsrc != video.Ssrc)
        {
            return;
        }

        if (feedback.IsPictureLossIndication || feedback.IsFullIntraRequest)
        {
            // Relayed: the other browser makes the keyframe; in a conference, the canvas does.
            _target?.RequestKeyFrame();
            CanvasKeyframeRequested?.Invoke();
        }
        else if (feedback.IsGenericNack && video.History is { } history)
        {
            var transport = _transport;
            foreach (var sequence in feedback.GetLostSequenceNumbers())
            {
                var length = history.CopyTo(sequence, _scratch);
                if (length > 0 && transport is not null && transport.SendRtp(_scratch, length))
                {
                    Interlocked.Increment(ref _endpoint.Metrics.Retransmissions);
                }
            }
        }
    }

    /// <summary>Passes a receiver's bandwidth estimate (REMB) to this leg's browser for the video it sends us.</summary>
    private void SendRemb(ulong bitrate)
    {
        if (!VideoIn.HasSsrc)
        {
            return;
        }

        lock (_rtcp)
        {
            var writer = new RtcpWriter(_rtcp);
            writer.TryWriteReceiverReport(RtcpSenderSsrc, []);
            writer.TryWriteRemb(RtcpSenderSsrc, bitrate, [VideoIn.Ssrc]);
            _transport?.SendRtcp(_rtcp, writer.Length);
        }
    }

    private void Apply(IReadOnlyList<NegotiatedMedia> media)
    {
        lock (_gate)
        {
            Array.Clear(_kindByPayloadType);
            Array.Clear(_codecByPayloadType);
            foreach (var m in media)
            {
                if (!m.Accepted)
                {
                    continue;
                }

                var kind = m.Kind == MediaKind.Video ? KindVideo : KindAudio;
                foreach (var codec in m.Codecs)
                {
                    _kindByPayloadType[codec.PayloadType & 0x7F] = kind;
                    _codecByPayloadType[codec.PayloadType & 0x7F] = CodecKey(codec);
                }

                if (m.TelephoneEvent is { } dtmf)
                {
                    _kindByPayloadType[dtmf.PayloadType & 0x7F] = kind;
                    _codecByPayloadType[dtmf.PayloadType & 0x7F] = CodecKey(dtmf);
                }

                var sends = m.LocalDirection is MediaDirection.SendRecv or MediaDirection.SendOnly;
                if (m.Kind == MediaKind.Video && m.Codec is { } videoCodec && videoCodec.Name.Equals("VP8", StringComparison.OrdinalIgnoreCase))
                {
                    _videoPayloadType = (byte)(videoCodec.PayloadType & 0x7F);
                }

                if (m.Kind == MediaKind.Video && sends)
                {
                    VideoOut ??= new OutboundRtpStream(VideoSsrc, 90000, keepHistory: true);
                }
                else if (m.Kind == MediaKind.Audio && m.Codec is { } audioCodec)
                {
                    // The agreed codec's payload type: what the mixer takes in and sends out.
                    _audioPayloadType = (byte)(audioCodec.PayloadType & 0x7F);
                    if (sends)
                    {
                        AudioOut ??= new OutboundRtpStream(AudioSsrc, audioCodec.ClockRate, keepHistory: false);
                    }
                }
            }

            Negotiated = media;
            MapPayloadTypes(_target);
            if (_target is { } target && target != this)
            {
                target.MapPayloadTypes(this);
            }
        }
    }

    /// <summary>Which of the target's payload types carries each of ours: the same codec, named the same.</summary>
    private void MapPayloadTypes(MediaLeg? target)
    {
        Array.Fill(_relayPayloadType, NoPayloadType);
        if (target is null)
        {
            return;
        }

        for (var pt = 0; pt < 128; pt++)
        {
            var codec = _codecByPayloadType[pt];
            if (codec is null)
            {
                continue;
            }

            var theirs = Array.IndexOf(target._codecByPayloadType, codec);
            if (theirs >= 0)
            {
                _relayPayloadType[pt] = (byte)theirs;
            }
        }
    }

    private void Replace(WebRtcTransport transport)
    {
        WebRtcTransport? old;
        lock (_gate)
        {
            old = _transport;
            _transport = transport;
        }

        old?.Dispose();
    }

    private LocalTransport LocalTransportOf(WebRtcTransport transport) => new()
    {
        IceUfrag = transport.Local.Ufrag,
        IcePwd = transport.Local.Password,
        Fingerprint = new SdpFingerprint("sha-256", _certificate.Sha256Fingerprint),
        CandidateAddress = _endpoint.CandidateAddress.ToString(),
        CandidatePort = _endpoint.LocalPort,
    };

    private static string CodecKey(RtpCodec codec) =>
        string.Concat(codec.Name.ToLowerInvariant(), "/", codec.ClockRate.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static uint RandomSsrc() => (uint)Random.Shared.NextInt64(1, uint.MaxValue);

    /// <summary>RFC 3550 §4: seconds since 1900 in the high 32 bits, the fraction in the low 32.</summary>
    private static ulong NtpTimestamp(DateTime utc)
    {
        var since1900 = utc - new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var seconds = (ulong)since1900.Ticks / TimeSpan.TicksPerSecond;
        var fraction = (ulong)(since1900.Ticks % TimeSpan.TicksPerSecond) * 0x1_0000_0000UL / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }
}
