using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using MediaServer.Media.Dtls;
using MediaServer.Media.Srtp;
using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Video;
using MediaServer.Observability;
using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Sdp;

namespace MediaServer.Media;

/// <summary>
/// The media side of one call leg: the SDP negotiation with its peer, the transport, the
/// streams we send with their SSRCs, reception statistics, and the relay to a target leg
/// (itself for echo, the other party for a bridged call). RTP is relayed without transcoding:
/// header rewritten, payload untouched. Keyframe requests and REMB go back to the source,
/// NACKs are answered from a history, sender/receiver reports go out once a second, and RFC
/// 4733 telephone-events become digits for the call. Owned by a call.
/// <para>
/// Two kinds: a WebRTC leg (a browser: ICE-lite and DTLS-SRTP on the shared media port, its
/// transport replaced on re-attach while the leg lives on) and a plain leg (a SIP phone or
/// trunk: RTP/AVP with G.711 on a port pair of its own for the leg's whole life, see
/// <see cref="CreatePlain"/>). Everything above the transport is the same for both.
/// </para>
/// </summary>
internal sealed class MediaLeg : IWebRtcTransportListener, IDisposable
{
    private const byte KindNone = 0;
    private const byte KindAudio = 1;
    private const byte KindVideo = 2;
    private const byte NoPayloadType = 0xFF;
    private const int KeyFrameRequestIntervalMs = 250;

    private readonly MediaEndpoint? _endpoint;
    private readonly DtlsCertificate? _certificate;
    private readonly ServerMetrics _metrics;
    private readonly PlainRtpTransport? _plain;
    private readonly IPAddress? _advertised;
    private readonly IMediaLegListener _listener;
    private readonly byte[] _kindByPayloadType = new byte[128];
    private readonly string?[] _codecByPayloadType = new string?[128];
    private readonly byte[] _relayPayloadType = new byte[128];
    private readonly byte[] _scratch = GC.AllocateArray<byte>(MediaEndpoint.BufferSize + SrtpSession.MaxTrailer, pinned: true);
    private readonly byte[] _rtcp = GC.AllocateArray<byte>(1500, pinned: true);
    private readonly byte[] _mixed = GC.AllocateArray<byte>(MediaEndpoint.BufferSize + SrtpSession.MaxTrailer, pinned: true);
    private readonly RtcpReportBlock[] _blocks = new RtcpReportBlock[2];
    private readonly Lock _gate = new();
    private readonly TelephoneEventReceiver _events = new();
    private volatile IRtpTransport? _transport;
    private WebRtcTransport? _pending;
    private SessionDescription? _pendingOffer;
    private volatile MediaLeg? _target;
    private volatile MixerMember? _audioInput;
    private byte _audioPayloadType = NoPayloadType;
    private byte _telephoneEventPayloadType = NoPayloadType;
    private volatile bool _audioSends;
    private byte _videoPayloadType = NoPayloadType;
    private volatile IVideoInput? _videoInput;
    private readonly byte[] _canvas = GC.AllocateArray<byte>(MediaEndpoint.BufferSize + SrtpSession.MaxTrailer, pinned: true);
    private long _lastKeyFrameRequestMs;
    private byte _firSequence;
    private bool _disposed;
    private long _roundTripMicroseconds = -1;
    private long _peerReportedLost;

    // Plain legs: negotiations are serialised (a re-INVITE may cross our own), and the o= line
    // keeps one session id and a version that RFC 3264 §8 moves on each change.
    private readonly Lock _plainGate = new();
    private readonly long _plainSessionId = Random.Shared.NextInt64(1, long.MaxValue);
    private long _plainVersion;
    private string? _plainLastSdp;
    private SessionDescription? _plainOffer;
    private int _plainReadyPending;

    public MediaLeg(MediaEndpoint endpoint, DtlsCertificate certificate, CodecList codecs, IMediaLegListener listener, string cname)
        : this(endpoint.Metrics, codecs, listener, cname, audioClockRate: 48000)
    {
        _endpoint = endpoint;
        _certificate = certificate;
    }

    private MediaLeg(PlainRtpTransport plain, ServerMetrics metrics, IPAddress advertised, CodecList codecs, IMediaLegListener listener, string cname)
        : this(metrics, codecs, listener, cname, audioClockRate: 8000)
    {
        _plain = plain;
        _advertised = advertised;
        _transport = plain;
    }

    private MediaLeg(ServerMetrics metrics, CodecList codecs, IMediaLegListener listener, string cname, int audioClockRate)
    {
        _metrics = metrics;
        Codecs = codecs;
        _listener = listener;
        Cname = cname;
        StreamId = Guid.NewGuid().ToString("N")[..16];
        AudioSsrc = RandomSsrc();
        VideoSsrc = RandomSsrc();
        AudioIn = new InboundRtpStream(audioClockRate);
        Array.Fill(_relayPayloadType, NoPayloadType);
    }

    /// <summary>
    /// A plain RTP leg for a SIP dialog (RTP/AVP, G.711, RFC 4733), on a port pair rented from
    /// <paramref name="ports"/> for the leg's life; <paramref name="advertised"/> is the address
    /// our SDP gives (the public one behind NAT). Negotiate with <see cref="TryAnswerPlain"/>
    /// or <see cref="CreatePlainOffer"/> and <see cref="TryApplyPlainAnswer"/>. False when no
    /// port pair is free (answer the INVITE with 503).
    /// </summary>
    public static bool TryCreatePlain(RtpPortPool ports, IPAddress advertised, CodecList codecs, IMediaLegListener listener, string cname, [NotNullWhen(true)] out MediaLeg? leg)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(advertised);
        if (!ports.TryRent(out var lease))
        {
            leg = null;
            return false;
        }

        var transport = new PlainRtpTransport(ports, lease);
        leg = new MediaLeg(transport, ports.Metrics, advertised, codecs, listener, cname);
        transport.Listener = leg;
        transport.Start();
        return true;
    }

    /// <summary>As <see cref="TryCreatePlain"/>, throwing when no port pair is free.</summary>
    /// <exception cref="InvalidOperationException">Every RTP port pair of the range is in use.</exception>
    public static MediaLeg CreatePlain(RtpPortPool ports, IPAddress advertised, CodecList codecs, IMediaLegListener listener, string cname) =>
        TryCreatePlain(ports, advertised, codecs, listener, cname, out var leg)
            ? leg
            : throw new InvalidOperationException($"no free RTP port pair in --rtp-ports {ports.Range} ({ports.InUse} of {ports.Capacity} in use)");

    /// <summary>A plain RTP leg (SIP), as opposed to a WebRTC one.</summary>
    public bool IsPlain => _plain is not null;

    /// <summary>A plain leg's RTP port (RTCP is the next one); 0 for a WebRTC leg.</summary>
    public int LocalRtpPort => _plain?.LocalRtpPort ?? 0;

    /// <summary>What the last plain offer/answer agreed (codec, addresses, directions); null before one, and for WebRTC legs.</summary>
    public PlainRtpMedia? PlainMedia { get; private set; }

    internal PlainRtpTransport? PlainTransport => _plain;

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

    /// <summary>Reception statistics of the audio we get, in the clock of its codec family (48 kHz WebRTC, 8 kHz plain G.711).</summary>
    public InboundRtpStream AudioIn { get; }

    public InboundRtpStream VideoIn { get; } = new(90000);

    /// <summary>
    /// On hold: nothing is relayed from or to this leg (verto.modify hold). A plain leg also
    /// says so in its next offer or answer (a=sendonly, RFC 3264 §8.4).
    /// </summary>
    public bool Held { get; set; }

    /// <summary>The WebRTC transport carrying media now; null for a plain leg.</summary>
    public WebRtcTransport? Transport => _transport as WebRtcTransport;

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
        if (stream is null || Held || transport is null || !transport.CanSend || payloadType == NoPayloadType || payload.Length > MediaEndpoint.BufferSize - 12)
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
    /// Mixer thread: sends one encoded frame to this leg's peer as our audio stream (fresh
    /// header, our SSRC and sequence, SRTP on WebRTC). A held or not-yet-secure leg, or one whose
    /// agreed direction does not let us send, sends nothing but its timestamp still advances.
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

        if (Held || !_audioSends || transport is null || !transport.CanSend || payloadType == NoPayloadType || payload.Length > MediaEndpoint.BufferSize - 12)
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
        if (_endpoint is null || _certificate is null)
        {
            answer = null;
            failure = NegotiationFailure.UnsupportedTransport;
            error = "a plain RTP leg answers with TryAnswerPlain";
            return false;
        }

        var transport = new WebRtcTransport(_endpoint, _certificate) { Listener = this, LogScope = _listener.LogScope };
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
    /// <exception cref="InvalidOperationException">This is a plain leg (use <see cref="CreatePlainOffer"/>).</exception>
    public SessionDescription CreateOffer(bool audio, bool video, IReadOnlyDictionary<string, int>? payloadTypes, bool stereo)
    {
        if (_endpoint is null || _certificate is null)
        {
            throw new InvalidOperationException("a plain RTP leg offers with CreatePlainOffer");
        }

        var transport = new WebRtcTransport(_endpoint, _certificate) { Listener = this, LogScope = _listener.LogScope };
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

    /// <summary>
    /// Answers a SIP peer's offer on this plain leg: the INVITE's, or a re-INVITE's in the same
    /// dialog (hold, unhold, a moved peer, a session refresh). On success the agreed codec,
    /// payload types, addresses and directions take effect at once; on failure (488) nothing
    /// changes and media goes on as agreed before (RFC 3264 §8). Our direction is sendrecv, or
    /// sendonly while <see cref="Held"/>. Within the dialog the o= version goes up by one each
    /// time our description changes and stays when it is repeated unchanged (RFC 3264 §8).
    /// </summary>
    public bool TryAnswerPlain(SessionDescription offer, out SessionDescription? answer, out NegotiationFailure failure, out string? error)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (_plain is null)
        {
            answer = null;
            failure = NegotiationFailure.UnsupportedTransport;
            error = "a WebRTC leg answers with TryAnswer";
            return false;
        }

        lock (_plainGate)
        {
            if (!PlainRtpOfferAnswer.TryCreateAnswer(offer, PlainOptions(), out answer, out var media, out failure, out error))
            {
                return false;
            }

            Stamp(answer!);
            ApplyPlain(media!);
            return true;
        }
    }

    /// <summary>
    /// Our offer on this plain leg, for an outbound INVITE or a re-INVITE we send (sendonly
    /// while <see cref="Held"/>): PCMU/PCMA, telephone-event, rtcp-mux offered. The answer goes
    /// to <see cref="TryApplyPlainAnswer"/>; media keeps its current setup until then.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is a WebRTC leg (use <see cref="CreateOffer"/>).</exception>
    public SessionDescription CreatePlainOffer()
    {
        if (_plain is null)
        {
            throw new InvalidOperationException("a WebRTC leg offers with CreateOffer");
        }

        lock (_plainGate)
        {
            var offer = PlainRtpOfferAnswer.CreateOffer(PlainOptions());
            Stamp(offer);
            _plainOffer = offer;
            return offer;
        }
    }

    /// <summary>
    /// Applies the peer's answer (a 200 OK, or a reliable 18x) to our last plain offer. May be
    /// called again for the same offer (the 200 OK after an early answer). On failure nothing
    /// changes: the caller ends the call or, for a re-INVITE, keeps the media as it was.
    /// </summary>
    public bool TryApplyPlainAnswer(SessionDescription answer, out NegotiationFailure failure, out string? error)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (_plain is null)
        {
            failure = NegotiationFailure.UnsupportedTransport;
            error = "a WebRTC leg applies answers with TryApplyAnswer";
            return false;
        }

        lock (_plainGate)
        {
            if (_plainOffer is not { } offer)
            {
                failure = NegotiationFailure.NoMedia;
                error = "no plain offer is waiting for an answer";
                return false;
            }

            if (!PlainRtpOfferAnswer.TryApplyAnswer(offer, answer, out var media, out failure, out error))
            {
                return false;
            }

            ApplyPlain(media!);
            return true;
        }
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
        if (transport is null || !transport.CanSend)
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

    public void OnRtp(IRtpTransport transport, Span<byte> buffer, int length)
    {
        if (Volatile.Read(ref _plainReadyPending) != 0 && ReferenceEquals(transport, _plain) && Interlocked.Exchange(ref _plainReadyPending, 0) == 1)
        {
            // A plain leg has no handshake: media is ready when the first valid packet latched.
            _listener.OnMediaReady(this);
        }

        if (!RtpPacket.TryParse(buffer[..length], out var packet))
        {
            Interlocked.Increment(ref _metrics.MediaMalformed);
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
        if (payloadType == _telephoneEventPayloadType)
        {
            // DTMF is reported whatever else happens to the packet (mixed, relayed, held).
            Span<char> digits = stackalloc char[2];
            var count = _events.OnPacket(packet.Ssrc, packet.Timestamp, packet.Payload, digits);
            for (var i = 0; i < count; i++)
            {
                _listener.OnTelephoneEvent(this, digits[i]);
            }
        }

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

    public void OnRtcp(IRtpTransport transport, Span<byte> buffer, int length)
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

                    for (var i = 0; i < report.ReportCount; i++)
                    {
                        OnReportBlock(report.GetReport(i));
                    }

                    break;
                case RtcpPacketType.ReceiverReport when RtcpReceiverReport.TryParse(packet, out var receiverReport):
                    for (var i = 0; i < receiverReport.ReportCount; i++)
                    {
                        OnReportBlock(receiverReport.GetReport(i));
                    }

                    break;
                case RtcpPacketType.TransportFeedback or RtcpPacketType.PayloadFeedback when RtcpFeedback.TryParse(packet, out var feedback):
                    OnFeedback(feedback);
                    break;
            }
        }

        if (reader.IsMalformed)
        {
            Interlocked.Increment(ref _metrics.MediaMalformed);
        }
    }

    /// <summary>
    /// The peer's view of our audio stream (RFC 3550 §6.4.1): what it lost of what we sent, and
    /// the round-trip time from LSR/DLSR, kept for the call record's MOS estimate.
    /// </summary>
    private void OnReportBlock(in RtcpReportBlock block)
    {
        if (AudioOut is not { } audio || block.Ssrc != audio.Ssrc)
        {
            return;
        }

        Volatile.Write(ref _peerReportedLost, Math.Max(0, block.CumulativeLost));
        if (block.LastSenderReport != 0)
        {
            // A, LSR and DLSR are all in the middle 32 bits of NTP time: 1/65536 s units.
            var arrival = (uint)(NtpTimestamp(DateTime.UtcNow) >> 16);
            var rtt = arrival - block.LastSenderReport - block.DelaySinceLastSenderReport;
            if (rtt < 10 * 65536)
            {
                // Anything over 10 s is a clock jump or a forged report, not a round trip.
                Volatile.Write(ref _roundTripMicroseconds, (long)rtt * 1_000_000 / 65536);
            }
        }
    }

    /// <summary>
    /// What this leg counted over its life, for a call record: codecs, packets each way, loss
    /// and jitter of what we received (audio and video together; jitter of the audio), and the
    /// peer's reported loss and round-trip time when its RTCP told us.
    /// </summary>
    public MediaLegStatistics Statistics()
    {
        AudioIn.GetTotals(out var audioReceived, out var audioLost, out var jitterMs);
        VideoIn.GetTotals(out var videoReceived, out var videoLost, out _);
        var sent = (long)(AudioOut?.PacketCount ?? 0) + (VideoOut?.PacketCount ?? 0);
        var rtt = Volatile.Read(ref _roundTripMicroseconds);
        return new MediaLegStatistics(
            CodecName(MediaKind.Audio),
            CodecName(MediaKind.Video),
            sent,
            audioReceived + videoReceived,
            audioLost + videoLost,
            jitterMs,
            Volatile.Read(ref _peerReportedLost),
            rtt < 0 ? null : rtt / 1000.0);
    }

    private string? CodecName(MediaKind kind) => Negotiated?.FirstOrDefault(m => m.Accepted && m.Kind == kind)?.Codec is { } codec
        ? string.Create(CultureInfo.InvariantCulture, $"{codec.Name}/{codec.ClockRate}")
        : null;

    public void OnSecure(WebRtcTransport transport)
    {
        if (!ReferenceEquals(transport, _transport))
        {
            return;
        }

        // A browser that just (re)connected needs a keyframe to show anything: ask the source.
        _target?.RequestKeyFrame();
        RequestKeyFrame();
        _listener.OnMediaReady(this);
    }

    public void OnFailed(IRtpTransport transport, TransportFailure failure, string reason)
    {
        if (ReferenceEquals(transport, _transport))
        {
            if (failure == TransportFailure.PeerClosed && Volatile.Read(ref _pending) is not null)
            {
                // A re-attach is under way: the browser closes its old peer connection (close_notify)
                // while it answers our new offer. That is the old transport ending, not the call.
                return;
            }

            _listener.OnMediaFailed(this, failure, reason);
        }
        else if (ReferenceEquals(transport, Volatile.Read(ref _pending)) && failure == TransportFailure.DtlsFailed)
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

    /// <summary>Our side of a plain negotiation; the codec already in use leads, so a re-INVITE does not switch it under the mixer.</summary>
    private PlainRtpOptions PlainOptions()
    {
        var codecs = Codecs;
        if (PlainMedia is { } current)
        {
            var name = current.Codec.Name.ToLowerInvariant();
            if (codecs.Names.Contains(name) && CodecList.TryParse(string.Join(',', codecs.Names.Where(n => n != name).Prepend(name)), out var reordered, out _))
            {
                codecs = reordered!;
            }
        }

        return new PlainRtpOptions
        {
            Address = _advertised!,
            Port = _plain!.LocalRtpPort,
            Codecs = codecs,
            Direction = Held ? MediaDirection.SendOnly : MediaDirection.SendRecv,
            SessionId = _plainSessionId,
        };
    }

    /// <summary>
    /// RFC 3264 §8: every description we send in the dialog has the same o= but for the version,
    /// which goes up by one when the description differs from the last one we sent, and must
    /// stay when it does not. Plain gate held.
    /// </summary>
    private void Stamp(SessionDescription description)
    {
        description.SessionVersion = "0";
        var text = description.ToString();
        if (_plainVersion == 0 || !string.Equals(text, _plainLastSdp, StringComparison.Ordinal))
        {
            _plainVersion++;
            _plainLastSdp = text;
        }

        description.SessionVersion = _plainVersion.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Puts an agreed plain negotiation into effect: the transport's addresses and filters, then the leg's streams. Plain gate held.</summary>
    private void ApplyPlain(PlainRtpMedia media)
    {
        var first = PlainMedia is null;
        PlainMedia = media;
        _plain!.Configure(media);
        Apply([new NegotiatedMedia
        {
            Index = media.Index,
            Kind = MediaKind.Audio,
            Accepted = true,
            LocalDirection = media.LocalDirection,
            Codec = media.Codec,
            Codecs = [media.Codec],
            TelephoneEvent = media.TelephoneEventPayloadType is { } events
                ? new RtpCodec { PayloadType = events, Name = "telephone-event", ClockRate = 8000 }
                : null,
        }]);
        if (first)
        {
            Volatile.Write(ref _plainReadyPending, 1);
        }
    }

    private uint RtcpSenderSsrc => AudioOut?.Ssrc ?? VideoOut?.Ssrc ?? AudioSsrc;

    /// <summary>Sends a packet relayed from a source leg (receive thread): header rewritten in place, kept for NACKs, protected, sent.</summary>
    private void Relay(byte kind, Span<byte> buffer, int length, in RtpPacket packet, byte payloadType, long now)
    {
        var stream = kind == KindVideo ? VideoOut : AudioOut;
        var transport = _transport;
        if (stream is null || transport is null || !transport.CanSend || (kind == KindAudio && !_audioSends))
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
                    Interlocked.Increment(ref _metrics.Retransmissions);
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
            var audioSends = false;
            var telephoneEvent = NoPayloadType;
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
                    audioSends = sends;
                    if (m.TelephoneEvent is { } events)
                    {
                        telephoneEvent = (byte)(events.PayloadType & 0x7F);
                    }

                    if (sends)
                    {
                        AudioOut ??= new OutboundRtpStream(AudioSsrc, audioCodec.ClockRate, keepHistory: false);
                    }
                }
            }

            _audioSends = audioSends;
            _telephoneEventPayloadType = telephoneEvent;
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
        IRtpTransport? old;
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
        Fingerprint = new SdpFingerprint("sha-256", _certificate!.Sha256Fingerprint),
        CandidateAddress = _endpoint!.CandidateAddress.ToString(),
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
