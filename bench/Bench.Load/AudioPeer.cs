using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Media;
using MediaServer.Media.Dtls;
using MediaServer.Media.Srtp;
using MediaServer.Protocol;
using MediaServer.Protocol.Rtcp;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Sdp;
using MediaServer.Protocol.Stun;

namespace MediaServer.Bench.Load;

/// <summary>
/// The WebRTC side of one simulated browser, audio and with <c>--video</c> also a VP8 video
/// track (<see cref="VideoTrack"/>, one BUNDLE transport for both): it writes the offer, acts as the
/// controlling ICE agent towards the server's ICE-lite (and answers the checks an ICE-lite
/// agent may still send, as Janus's does), runs the DTLS client (or server, as
/// the answer's a=setup says) through the server's <see cref="DtlsTransport"/>, and then
/// sends and receives SRTP on a non-blocking UDP socket of its own, connected to the server's
/// candidate. Owned by its <see cref="IConferenceCall"/>. Threads: the shared
/// <see cref="UdpReceiveLoop"/> thread is the only user of the inbound SRTP session and the
/// statistics; the <see cref="AudioPacer"/> thread is the only user of the outbound SRTP
/// session; DTLS sends from its handshake thread. Disposed only after the pacer and the
/// receive loop have stopped.
/// </summary>
internal sealed class AudioPeer : IDatagramSink, IDisposable
{
    private const int MaxDatagram = 1500;
    // Datagrams read per wake-up of the receive loop: one for audio (one packet per 20 ms);
    // the canvas comes as bursts of several packets per frame, and a keyframe as dozens.
    private const int AudioReceiveBurst = 1;
    private const int VideoReceiveBurst = 16;
    // Room for a 720p keyframe burst (dozens of packets) while the receive loop sleeps.
    private const int VideoReceiveBufferBytes = 1 << 20;
    private const uint HostPriority = 0x6E7F1EFF;
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(200);
    private const int MaxChecks = 25;
    private static readonly TimeSpan ServerCheckWait = TimeSpan.FromSeconds(3);

    private static readonly HashSet<IPAddress> LocalAddresses = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
        .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
        .Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToHashSet();

    /// <summary>
    /// An IPv4 address of this machine other than loopback, or null. Janus gathers no loopback
    /// candidates and (as an ICE-lite libnice agent) answers no checks that come from
    /// 127.0.0.1 to its interface address, so its members bind here instead.
    /// </summary>
    public static IPAddress? InterfaceAddress { get; } = LocalAddresses.FirstOrDefault(a => !IPAddress.IsLoopback(a));

    private readonly Socket _socket;
    private readonly DtlsCertificate _certificate;
    private readonly DecodeCheck _decodeCheck;
    private readonly int _decodeEvery;
    private readonly ErrorTally _errors;
    private readonly UdpReceiveLoop _receiver;
    private readonly VideoTrack? _video;
    private readonly int _receiveBurst;
    private readonly IReadOnlyList<SrtpProfile> _profiles;
    private readonly string _ufrag = RandomText(8);
    private readonly string _pwd = RandomText(24);
    private readonly byte[] _ufragBytes;
    private readonly byte[] _pwdBytes;
    private readonly ulong _tieBreaker = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private readonly byte[] _sendBuffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
    private readonly byte[] _checkTransaction = new byte[StunMessage.TransactionIdLength];
    private byte[] _remotePassword = [];
    private byte[] _username = [];
    private IPEndPoint? _remote;
    private DtlsTransport? _dtls;
    private SrtpSession? _srtpIn;
    private SrtpSession? _srtpOut;
    private TaskCompletionSource? _iceConnected;
    private readonly TaskCompletionSource _serverChecked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte _payloadType = 111;
    private ushort _sequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);
    private readonly uint _baseTimestamp = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private readonly uint _videoBaseTimestamp = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private volatile bool _ready;
    private volatile bool _stopped;
    private int _disposed;
    private long _rtpReceived;

    // Pacer counters.
    private long _framesSent;
    private long _sendErrors;
    private long _consentChecksSent;

    // Receive loop counters.
    private long _consentAnswered;
    private long _rtcpReceived;
    private long _srtcpFailures;
    private long _srtpFailures;
    private long _srtpChecked;
    private long _wrongPayloadType;
    private long _socketErrors;

    public AudioPeer(
        int index, uint ssrc, DtlsCertificate certificate, IReadOnlyList<SrtpProfile> profiles, UdpReceiveLoop receiver,
        DecodeCheck decodeCheck, int decodeEvery, ErrorTally errors, VideoTrack? video = null, IPAddress? bindAddress = null)
    {
        _video = video;
        _receiveBurst = video is null ? AudioReceiveBurst : VideoReceiveBurst;
        _profiles = profiles;
        _receiver = receiver;
        Index = index;
        Ssrc = ssrc;
        _certificate = certificate;
        _decodeCheck = decodeCheck;
        _decodeEvery = decodeEvery;
        _errors = errors;
        _ufragBytes = Encoding.ASCII.GetBytes(_ufrag);
        _pwdBytes = Encoding.ASCII.GetBytes(_pwd);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(bindAddress ?? IPAddress.Loopback, 0));
        // The receive loop drains it until it would block; sends never wait either.
        _socket.Blocking = false;
        if (video is not null)
        {
            _socket.ReceiveBufferSize = VideoReceiveBufferBytes;
        }
    }

    public int Index { get; }

    /// <summary>The socket's file descriptor, for the receive loop's epoll set.</summary>
    public int FileDescriptor => (int)_socket.Handle;

    public uint Ssrc { get; }

    /// <summary>The video track with --video, else null.</summary>
    public VideoTrack? Video => _video;

    /// <summary>True once SRTP is keyed and until the peer is stopped: the pacer sends only then.</summary>
    public bool Ready => _ready && !_stopped;

    /// <summary>The talk-spurt model of a talker; null for a member who only sends silence.</summary>
    public TalkSpurts? Voice { get; set; }

    /// <summary>The room's latency probe when this peer sends its markers (the room's first talker), else null.</summary>
    public LatencyProbe? MarkerSender { get; set; }

    /// <summary>The room's latency probe when this peer listens for the markers; the peer owns it then.</summary>
    public LatencyProbe? MarkerListener { get; set; }

    /// <summary>
    /// Offer a=setup:active instead of actpass, so we are the DTLS client whatever the answerer
    /// prefers. Our server answers actpass with passive (it is the DTLS server); Janus answers
    /// it with active, which works too, but would put the handshake's server side on us and
    /// make the two targets do different work. So against Janus we ask for the same roles.
    /// </summary>
    public bool OfferDtlsActive { get; set; }

    /// <summary>
    /// After our check is answered, wait (up to <see cref="ServerCheckWait"/>) until we have
    /// answered one of the server's own checks before starting DTLS. Janus's libnice agent
    /// reaches "connected" only then and drops DTLS records that come before, so an early
    /// ClientHello costs a 1 s retransmission; our ICE-lite server never checks, so not for it.
    /// </summary>
    public bool WaitForServerCheck { get; set; }

    public RtpReceiveStatistics Received { get; } = new(48000);

    public long FramesSent => Volatile.Read(ref _framesSent);

    public long SendErrors => Volatile.Read(ref _sendErrors);

    public long ConsentChecksSent => Volatile.Read(ref _consentChecksSent);

    public long ConsentAnswered => Volatile.Read(ref _consentAnswered);

    public long RtcpReceived => Volatile.Read(ref _rtcpReceived);

    /// <summary>RTCP packets that failed SRTCP (only checked with video, to read keyframe requests).</summary>
    public long SrtcpFailures => Volatile.Read(ref _srtcpFailures);

    public long SrtpFailures => Volatile.Read(ref _srtpFailures);

    /// <summary>Received packets that were authenticated and decrypted (one in --decode-every).</summary>
    public long SrtpChecked => Volatile.Read(ref _srtpChecked);

    public long WrongPayloadType => Volatile.Read(ref _wrongPayloadType);

    public long SocketErrors => Volatile.Read(ref _socketErrors);

    public double IceMilliseconds { get; private set; }

    public double DtlsMilliseconds { get; private set; }

    public SrtpProfile? Profile { get; private set; }

    /// <summary>
    /// A browser-like offer: Opus audio, and with video a VP8 video line too; BUNDLE, rtcp-mux,
    /// actpass, one host candidate on 127.0.0.1.
    /// </summary>
    public string CreateOffer()
    {
        string names = _video is null ? "opus" : "opus,vp8";
        if (!CodecList.TryParse(names, out CodecList? codecs, out string? error))
        {
            throw new InvalidOperationException(names + " are not known codecs: " + error);
        }
        SessionDescription offer = OfferAnswer.CreateOffer(new OfferOptions
        {
            Transport = new LocalTransport
            {
                IceUfrag = _ufrag,
                IcePwd = _pwd,
                Fingerprint = new SdpFingerprint("sha-256", _certificate.Sha256Fingerprint),
                CandidateAddress = ((IPEndPoint)_socket.LocalEndPoint!).Address.ToString(),
                CandidatePort = ((IPEndPoint)_socket.LocalEndPoint!).Port,
            },
            Codecs = codecs!,
            Audio = true,
            Video = _video is not null,
            AudioDirection = MediaDirection.SendRecv,
            VideoDirection = MediaDirection.SendRecv,
            AudioSsrc = Ssrc,
            VideoSsrc = _video?.Ssrc ?? 0,
            Cname = "load-" + _ufrag,
            StreamId = "load-" + _ufrag,
            SessionId = RandomNumberGenerator.GetInt32(int.MaxValue),
            Version = 1,
        });
        // CreateOffer writes the server's kind of offer; we are a full agent, as a browser is.
        offer.IceLite = false;
        if (OfferDtlsActive)
        {
            foreach (MediaDescription media in offer.Media)
            {
                media.Setup = DtlsSetup.Active;
            }
            offer.Setup = null;
        }
        return offer.ToString();
    }

    /// <summary>
    /// Takes the server's answer: ICE credentials, fingerprint, DTLS role, candidate and the
    /// Opus (and VP8) payload types. Returns an error text when the answer is unusable.
    /// </summary>
    public string? SetAnswer(string sdp)
    {
        if (!SessionDescription.TryParse(sdp, out SessionDescription? answer, out string? error))
        {
            return "answer SDP does not parse: " + error;
        }
        RemoteTransport? remote = OfferAnswer.GetRemoteTransport(answer!);
        if (remote is null)
        {
            return "answer has no usable transport";
        }
        // A server that gathers on several interfaces (Janus lists every one it may use) gets
        // a loopback candidate, else an IPv4 one, picked: the socket is bound to 127.0.0.1.
        IceCandidate? candidate = remote.Candidates.Where(c => c.IsUdp)
            .OrderByDescending(c => IPAddress.TryParse(c.Address, out IPAddress? a) && IPAddress.IsLoopback(a))
            .ThenByDescending(c => IPAddress.TryParse(c.Address, out IPAddress? a) && a.AddressFamily == AddressFamily.InterNetwork)
            .FirstOrDefault();
        if (candidate is null || !IPAddress.TryParse(candidate.Address, out IPAddress? address))
        {
            return "answer has no UDP candidate with an IP address";
        }
        // Media goes to this machine only, over IPv4 like our socket. A server that advertises
        // its LAN address (its --public-ip default) still listens on every interface unless
        // told otherwise, so loopback reaches the same port; if it does not, ICE fails and says so.
        // Janus gathers on every interface but loopback: an IPv4 address of one of this machine's
        // interfaces is still this machine, and the kernel delivers to it over loopback.
        if (address.AddressFamily != AddressFamily.InterNetwork || !(IPAddress.IsLoopback(address) || LocalAddresses.Contains(address)))
        {
            address = IPAddress.Loopback;
        }
        RtpCodec? opus = answer!.Media.SelectMany(m => m.Codecs)
            .FirstOrDefault(c => string.Equals(c.Name, "opus", StringComparison.OrdinalIgnoreCase));
        if (opus is null)
        {
            return "answer has no opus";
        }
        _payloadType = (byte)opus.PayloadType;
        if (_video is not null)
        {
            RtpCodec? vp8 = answer.Media.Where(m => m.Kind == MediaKind.Video).SelectMany(m => m.Codecs)
                .FirstOrDefault(c => string.Equals(c.Name, "VP8", StringComparison.OrdinalIgnoreCase));
            if (vp8 is null)
            {
                return "answer has no VP8 video (is video enabled on the server?)";
            }
            _video.PayloadType = (byte)vp8.PayloadType;
        }
        _remote = new IPEndPoint(address, candidate.Port);
        _remotePassword = Encoding.ASCII.GetBytes(remote.IcePwd);
        _username = Encoding.ASCII.GetBytes(remote.IceUfrag + ":" + _ufrag);
        DtlsRole role = remote.Setup == DtlsSetup.Active ? DtlsRole.Server : DtlsRole.Client;
        _dtls = new DtlsTransport(_certificate, role, remote.Fingerprint.Algorithm, remote.Fingerprint.Value, this, _profiles);
        return null;
    }

    /// <summary>ICE checks until the server answers one (nominating the pair), then the DTLS handshake and SRTP keys.</summary>
    public async Task ConnectAsync(CancellationToken cancellation)
    {
        if (_remote is null || _dtls is null)
        {
            throw new InvalidOperationException("SetAnswer first");
        }
        _socket.Connect(_remote);
        _receiver.Add(this);

        long started = Stopwatch.GetTimestamp();
        bool connected = false;
        for (int attempt = 0; attempt < MaxChecks && !connected; attempt++)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _iceConnected, waiter);
            RandomNumberGenerator.Fill(_checkTransaction);
            SendCheck(useCandidate: true, _checkTransaction);
            try
            {
                await waiter.Task.WaitAsync(CheckInterval, cancellation);
                connected = true;
            }
            catch (TimeoutException)
            {
                // RFC 8445 retransmits checks; so do we, a little faster than a browser.
            }
        }
        if (!connected)
        {
            throw new IOException($"ICE: no answer to {MaxChecks} connectivity checks to {_remote}");
        }
        if (WaitForServerCheck)
        {
            try
            {
                await _serverChecked.Task.WaitAsync(ServerCheckWait, cancellation);
            }
            catch (TimeoutException)
            {
                // Start DTLS anyway: its retransmissions and time limit decide, and say so.
            }
        }
        IceMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        started = Stopwatch.GetTimestamp();
        SrtpKeyingMaterial keys = await _dtls.HandshakeAsync(cancellation);
        DtlsMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Profile = keys.Profile;
        _srtpOut = new SrtpSession(keys.Profile, keys.LocalKey, keys.LocalSalt, SrtpDirection.Outbound);
        Volatile.Write(ref _srtpIn, new SrtpSession(keys.Profile, keys.RemoteKey, keys.RemoteSalt, SrtpDirection.Inbound));
        _ready = true;
    }

    /// <summary>Stops sending (the pacer skips the peer from now on); receiving goes on until disposal.</summary>
    public void Stop() => _stopped = true;

    /// <summary>
    /// Sends frame <paramref name="frame"/> of the call (20 ms each since the pacer started):
    /// one SRTP packet with <paramref name="payload"/>. Pacer thread only.
    /// </summary>
    public void SendFrame(long frame, ReadOnlySpan<byte> payload, bool marker)
    {
        SrtpSession? srtp = _srtpOut;
        if (srtp is null || !Ready)
        {
            return;
        }
        uint timestamp = unchecked(_baseTimestamp + (uint)(frame * 960));
        bool latencyMarker = false;
        LatencyProbe? probe = MarkerSender;
        if (probe is not null)
        {
            payload = probe.TalkerPayload(frame, payload, out latencyMarker);
        }
        // As in the video path, a packet that did not go still used its sequence number.
        bool sent = SendRtp(srtp, marker, _payloadType, _sequence, timestamp, Ssrc, payload);
        _sequence++;
        if (sent)
        {
            Volatile.Write(ref _framesSent, _framesSent + 1);
            if (latencyMarker)
            {
                probe!.MarkSent(Stopwatch.GetTimestamp());
            }
        }
    }

    /// <summary>
    /// Sends video frame <paramref name="frame"/> of the call (33.3 ms each since the pacer
    /// started): the next frame of the replay, as RTP packets with one timestamp, the marker
    /// on the last. Pacer thread only.
    /// </summary>
    public void SendVideoFrame(long frame)
    {
        SrtpSession? srtp = _srtpOut;
        VideoTrack? video = _video;
        if (srtp is null || video is null || !Ready)
        {
            return;
        }
        uint timestamp = unchecked(_videoBaseTimestamp + (uint)frame * VideoTrack.TimestampStep);
        int packets = video.NextFrame();
        for (int i = 0; i < packets; i++)
        {
            // A packet that fails to go still used its sequence number, as a browser's would:
            // the server counts it lost, which is what it was.
            SendRtp(srtp, i == packets - 1, video.PayloadType, video.NextSequence(), timestamp, video.Ssrc, video.Payload(i));
        }
    }

    /// <summary>An RFC 7675 consent check, as browsers send every few seconds. Pacer thread only.</summary>
    public void SendConsentCheck()
    {
        if (!Ready)
        {
            return;
        }
        Span<byte> transaction = stackalloc byte[StunMessage.TransactionIdLength];
        RandomNumberGenerator.Fill(transaction);
        SendCheck(useCandidate: false, transaction);
        Volatile.Write(ref _consentChecksSent, _consentChecksSent + 1);
    }

    /// <summary>DTLS records from the handshake thread (IDatagramSink).</summary>
    // DTLS retransmits; a lost flight is its business.
    public void Send(ReadOnlySpan<byte> datagram) => TrySend(datagram);

    /// <summary>
    /// Receives a datagram (audio) or up to a few (video) and handles them. The epoll set is
    /// level-triggered, so a socket that still holds more is reported again on the next wait;
    /// reading until "would block" would cost a second system call for nearly every packet
    /// of audio, since a peer gets one every 20 ms. The canvas comes in bursts (a frame is
    /// several packets, a keyframe dozens), which one datagram per millisecond would not drain.
    /// Receive loop thread only; <paramref name="buffer"/> is its.
    /// </summary>
    public void Receive(byte[] buffer)
    {
        for (int i = 0; i < _receiveBurst; i++)
        {
            int length;
            SocketError error;
            try
            {
                length = _socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out error);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (error == SocketError.ConnectionRefused)
            {
                // The ICMP answer to one of our sends: the server's port is closed.
                Volatile.Write(ref _socketErrors, _socketErrors + 1);
            }
            else if (error == SocketError.Success)
            {
                Handle(buffer.AsSpan(0, length));
            }
            else
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopped = true;
        _receiver.Remove(this);
        _dtls?.Dispose();
        _socket.Dispose();
        _srtpIn?.Dispose();
        _srtpOut?.Dispose();
        _video?.Dispose();
        MarkerListener?.Dispose();
    }

    /// <summary>One RTP packet: header, payload, SRTP, send. False when it did not go (counted). Pacer thread only.</summary>
    private bool SendRtp(SrtpSession srtp, bool marker, byte payloadType, ushort sequence, uint timestamp, uint ssrc, ReadOnlySpan<byte> payload)
    {
        if (!RtpHeader.TryWrite(_sendBuffer, marker, payloadType, sequence, timestamp, ssrc, out int header)
            || header + payload.Length + SrtpSession.MaxTrailer > _sendBuffer.Length)
        {
            _errors.Add("rtp_too_long", $"{payload.Length} bytes of payload");
            return false;
        }
        payload.CopyTo(_sendBuffer.AsSpan(header));
        if (!srtp.TryProtectRtp(_sendBuffer, header + payload.Length, out int length))
        {
            _errors.Add("srtp_protect_failed", null);
            return false;
        }
        // Typically ECONNREFUSED (an ICMP port unreachable from an earlier packet: the server is
        // gone) or EAGAIN (the socket buffer is full: we outran the kernel).
        if (TrySend(_sendBuffer.AsSpan(0, length)))
        {
            return true;
        }
        Volatile.Write(ref _sendErrors, _sendErrors + 1);
        return false;
    }

    private bool TrySend(ReadOnlySpan<byte> datagram)
    {
        try
        {
            _socket.Send(datagram, SocketFlags.None, out SocketError error);
            return error == SocketError.Success;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private void SendCheck(bool useCandidate, ReadOnlySpan<byte> transaction)
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, transaction);
        writer.AddUsername(_username);
        writer.AddPriority(HostPriority);
        writer.AddIceControlling(_tieBreaker);
        if (useCandidate)
        {
            writer.AddUseCandidate();
        }
        writer.AddMessageIntegrity(_remotePassword);
        writer.AddFingerprint();
        Send(buffer[..writer.Length]);
    }

    private void Handle(Span<byte> packet)
    {
        switch (PacketClassifier.Classify(packet))
        {
            case PacketKind.Stun:
                HandleStun(packet);
                break;
            case PacketKind.Dtls:
                _dtls?.Receive(packet);
                break;
            case PacketKind.Rtp:
                HandleRtp(packet);
                break;
            case PacketKind.Rtcp:
                Volatile.Write(ref _rtcpReceived, _rtcpReceived + 1);
                if (_video is not null)
                {
                    HandleRtcp(packet);
                }
                break;
            default:
                _errors.Add("unexpected_datagram", $"{packet.Length} bytes, first byte {(packet.Length > 0 ? packet[0] : -1)}");
                break;
        }
    }

    private void HandleStun(ReadOnlySpan<byte> packet)
    {
        if (!StunMessage.TryParse(packet, out StunMessage message) || message.Method != StunMethod.Binding)
        {
            _errors.Add("bad_stun", null);
            return;
        }
        if (message.Class == StunClass.ErrorResponse)
        {
            _errors.Add("stun_error_response", message.TryGetErrorCode(out int code, out _) ? "error " + code : null);
            return;
        }
        if (message.Class == StunClass.Request)
        {
            AnswerCheck(message);
            return;
        }
        if (message.Class != StunClass.SuccessResponse)
        {
            return;
        }
        if (!message.VerifyMessageIntegrity(_remotePassword) || !message.VerifyFingerprint())
        {
            _errors.Add("stun_response_integrity", "a check response failed MESSAGE-INTEGRITY or FINGERPRINT");
            return;
        }
        if (!_ready)
        {
            // Any of our checks answered means the pair works, a retransmitted one included.
            Volatile.Read(ref _iceConnected)?.TrySetResult();
        }
        else
        {
            Volatile.Write(ref _consentAnswered, _consentAnswered + 1);
        }
    }

    /// <summary>
    /// Answers the server's connectivity check (see <see cref="IceCheckAnswer"/>). The socket
    /// is connected, so the check came from <see cref="_remote"/>. Receive loop thread; the
    /// send may race the pacer's and DTLS's on the same socket, which the kernel serialises.
    /// </summary>
    private void AnswerCheck(in StunMessage request)
    {
        IPEndPoint? from = _remote;
        if (from is null)
        {
            return;
        }
        Span<byte> response = stackalloc byte[IceCheckAnswer.MaxLength];
        bool answered = IceCheckAnswer.Write(request, _ufragBytes, _pwdBytes, from, response, out int length);
        TrySend(response[..length]);
        if (answered)
        {
            _serverChecked.TrySetResult();
        }
        else
        {
            _errors.Add("stun_check_unauthorized", "a connectivity check from the server had the wrong USERNAME or failed MESSAGE-INTEGRITY");
        }
    }

    private void HandleRtp(Span<byte> packet)
    {
        if (!RtpPacket.TryParse(packet, out RtpPacket header))
        {
            _errors.Add("bad_rtp", null);
            return;
        }
        if (_video is not null && header.PayloadType == _video.PayloadType)
        {
            HandleVideo(packet, header);
            return;
        }
        long receivedAt = Stopwatch.GetTimestamp();
        Received.Record(header.Ssrc, header.SequenceNumber, header.Timestamp, receivedAt);
        if (header.PayloadType != _payloadType)
        {
            Volatile.Write(ref _wrongPayloadType, _wrongPayloadType + 1);
            return;
        }
        // Counting, loss and jitter need only the header, which SRTP leaves in the clear. One
        // packet in N is authenticated, decrypted and decoded: SRTP costs the client about as
        // much as the send syscall, and the client shares the machine with the server it
        // measures. libsrtp takes the gaps this leaves as it takes loss.
        // A latency listener decrypts and decodes every packet, but only for the half second
        // after each marker (one in four packets).
        SrtpSession? srtp = Volatile.Read(ref _srtpIn);
        LatencyProbe? listener = MarkerListener;
        bool check = ++_rtpReceived % _decodeEvery == 0;
        bool capture = listener is not null && listener.Listening;
        if (srtp is null || (!check && !capture))
        {
            return;
        }
        if (!srtp.TryUnprotectRtp(packet, packet.Length, out int plain))
        {
            Volatile.Write(ref _srtpFailures, _srtpFailures + 1);
            return;
        }
        Volatile.Write(ref _srtpChecked, _srtpChecked + 1);
        if (RtpPacket.TryParse(packet[..plain], out RtpPacket rtp))
        {
            if (check)
            {
                _decodeCheck.Check(rtp.Payload);
            }
            if (capture)
            {
                listener!.Capture(rtp.SequenceNumber, rtp.Payload, receivedAt);
            }
        }
    }

    /// <summary>
    /// A canvas packet: counted from its clear header; for a decode-check member also
    /// decrypted (every packet: VP8 deltas need every frame since the keyframe) and reassembled.
    /// </summary>
    private void HandleVideo(Span<byte> packet, RtpPacket header)
    {
        VideoTrack video = _video!;
        long now = Stopwatch.GetTimestamp();
        video.Record(header.Ssrc, header.SequenceNumber, header.Timestamp, header.Marker, now);
        SrtpSession? srtp = Volatile.Read(ref _srtpIn);
        if (video.DecodeCheck is not { } check || srtp is null)
        {
            return;
        }
        if (!srtp.TryUnprotectRtp(packet, packet.Length, out int plain))
        {
            Volatile.Write(ref _srtpFailures, _srtpFailures + 1);
            return;
        }
        Volatile.Write(ref _srtpChecked, _srtpChecked + 1);
        if (RtpPacket.TryParse(packet[..plain], out RtpPacket rtp))
        {
            check.Push(rtp.Payload, rtp.SequenceNumber, rtp.Timestamp, rtp.Marker, now * 1000 / Stopwatch.Frequency);
        }
    }

    /// <summary>
    /// The server's RTCP, read for keyframe requests about our video: PLI (RFC 4585 §6.3.1)
    /// with our SSRC as media source, or a FIR (RFC 5104 §4.3.1) entry naming it. The server
    /// sends both in one compound; one keyframe answers them.
    /// </summary>
    private void HandleRtcp(Span<byte> packet)
    {
        SrtpSession? srtp = Volatile.Read(ref _srtpIn);
        if (srtp is null)
        {
            return;
        }
        if (!srtp.TryUnprotectRtcp(packet, packet.Length, out int plain))
        {
            Volatile.Write(ref _srtcpFailures, _srtcpFailures + 1);
            return;
        }
        VideoTrack video = _video!;
        bool pli = false;
        bool fir = false;
        var reader = new RtcpCompoundReader(packet[..plain]);
        while (reader.TryReadNext(out RtcpPacket rtcp))
        {
            if (!RtcpFeedback.TryParse(rtcp, out RtcpFeedback feedback))
            {
                continue;
            }
            if (feedback.IsPictureLossIndication && feedback.MediaSsrc == video.Ssrc)
            {
                pli = true;
            }
            else if (feedback.IsFullIntraRequest)
            {
                foreach (RtcpFirEntry entry in feedback.GetFullIntraRequests())
                {
                    fir |= entry.Ssrc == video.Ssrc;
                }
            }
        }
        if (pli || fir)
        {
            video.RequestKeyframe(fir);
        }
    }

    private static string RandomText(int length)
    {
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });
    }
}
