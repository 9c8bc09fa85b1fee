using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Media;
using MediaServer.Media.Dtls;
using MediaServer.Media.Srtp;
using MediaServer.Protocol;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Sdp;
using MediaServer.Protocol.Stun;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// A WebRTC endpoint in C# for tests that need exact control where a browser gives none:
/// it makes an offer, acts as the controlling ICE agent against our ICE-lite, runs the DTLS
/// client and sends and receives SRTP on its own UDP socket on 127.0.0.1. It can lie about
/// its fingerprint, stop sending checks, or send garbage.
/// </summary>
public sealed class WebRtcTestPeer : IDisposable, IDatagramSink
{
    private readonly Socket _socket;
    private readonly Thread _receiver;
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate();
    private readonly string _ufrag = RandomText(8);
    private readonly string _pwd = RandomText(24);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _transactions = new();
    private readonly ConcurrentQueue<byte[]> _received = new();
    private IPEndPoint? _remote;
    private string _remoteUfrag = string.Empty;
    private byte[] _remotePwd = [];
    private DtlsTransport? _dtls;
    private SrtpSession? _srtpIn;
    private SrtpSession? _srtpOut;
    private SessionDescription? _offer;
    private volatile bool _stopping;

    public WebRtcTestPeer()
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "webrtc-test-peer" };
        _receiver.Start();
    }

    public uint AudioSsrc { get; } = 0x11223344;

    public uint VideoSsrc { get; } = 0x55667788;

    /// <summary>The fingerprint put in the offer; tests may replace it to make DTLS fail.</summary>
    public string OfferedFingerprint { get; set; } = string.Empty;

    public SessionDescription? Answer { get; private set; }

    /// <summary>Simulates loss on the way in: an RTP packet (SSRC, sequence number) for which this says true is discarded before SRTP sees it.</summary>
    public Func<uint, ushort, bool>? DropIncoming { get; set; }

    public SrtpKeyingMaterial? Keys { get; private set; }

    public int ReceivedCount => _received.Count;

    /// <summary>A valid offer from a peer that is closed at once: for tests of signalling alone.</summary>
    public static string AnyOffer()
    {
        using var peer = new WebRtcTestPeer();
        return peer.CreateOffer();
    }

    /// <summary>An offer like a browser's: audio (opus, PCMU) and optionally video (VP8), BUNDLE, rtcp-mux, actpass.</summary>
    public string CreateOffer(bool video = true, string codecs = "opus,pcmu,vp8")
    {
        if (OfferedFingerprint.Length == 0)
        {
            OfferedFingerprint = _certificate.Sha256Fingerprint;
        }

        Assert.True(CodecList.TryParse(codecs, out var list, out var error), error);
        _offer = OfferAnswer.CreateOffer(new OfferOptions
        {
            Transport = new LocalTransport
            {
                IceUfrag = _ufrag,
                IcePwd = _pwd,
                Fingerprint = new SdpFingerprint("sha-256", OfferedFingerprint),
                CandidateAddress = "127.0.0.1",
                CandidatePort = ((IPEndPoint)_socket.LocalEndPoint!).Port,
            },
            Codecs = list!,
            Audio = true,
            Video = video,
            AudioDirection = MediaDirection.SendRecv,
            VideoDirection = MediaDirection.SendRecv,
            AudioSsrc = AudioSsrc,
            VideoSsrc = VideoSsrc,
            Cname = "test-peer",
            StreamId = "test-stream",
            Stereo = false,
            SessionId = 1234,
            Version = 1,
        });
        return _offer.ToString();
    }

    /// <summary>Takes the server's answer: its ICE credentials, fingerprint and candidate.</summary>
    public void SetAnswer(string sdp)
    {
        Assert.True(SessionDescription.TryParse(sdp, out var answer, out var error), error);
        Answer = answer!;
        var remote = OfferAnswer.GetRemoteTransport(answer!);
        Assert.NotNull(remote);
        _remoteUfrag = remote!.IceUfrag;
        _remotePwd = Encoding.ASCII.GetBytes(remote.IcePwd);
        var candidate = remote.Candidates[0];
        _remote = new IPEndPoint(IPAddress.Parse(candidate.Address), candidate.Port);
        _dtls = new DtlsTransport(_certificate, remote.Setup == DtlsSetup.Active ? DtlsRole.Server : DtlsRole.Client, remote.Fingerprint.Algorithm, remote.Fingerprint.Value, this);
    }

    /// <summary>One connectivity check as the controlling agent; returns the response's class (success or error).</summary>
    public async Task<StunClass> CheckAsync(bool useCandidate = true, byte[]? wrongPassword = null)
    {
        var transaction = RandomNumberGenerator.GetBytes(12);
        var key = Convert.ToHexString(transaction);
        var waiter = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _transactions[key] = waiter;
        var buffer = new byte[256];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, transaction);
        writer.AddUsername(Encoding.ASCII.GetBytes($"{_remoteUfrag}:{_ufrag}"));
        writer.AddPriority(0x6E7F1EFF);
        writer.AddIceControlling(0x0102030405060708);
        if (useCandidate)
        {
            writer.AddUseCandidate();
        }

        writer.AddMessageIntegrity(wrongPassword ?? _remotePwd);
        writer.AddFingerprint();
        var length = writer.Length;
        _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, _remote!);
        var response = await waiter.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(StunMessage.TryParse(response, out var message));
        if (message.Class == StunClass.SuccessResponse)
        {
            Assert.True(message.VerifyMessageIntegrity(_remotePwd), "the server's response must carry MESSAGE-INTEGRITY with its password");
            Assert.True(message.VerifyFingerprint());
            Span<byte> address = stackalloc byte[16];
            Assert.True(message.TryGetXorMappedAddress(address, out var addressLength, out var port));
            Assert.Equal(((IPEndPoint)_socket.LocalEndPoint!).Port, port);
            Assert.Equal(IPAddress.Loopback, new IPAddress(address[..addressLength]));
        }

        return message.Class;
    }

    public async Task<SrtpKeyingMaterial> HandshakeAsync()
    {
        Keys = await _dtls!.HandshakeAsync(CancellationToken.None);
        _srtpIn = new SrtpSession(Keys.Profile, Keys.RemoteKey, Keys.RemoteSalt, SrtpDirection.Inbound);
        _srtpOut = new SrtpSession(Keys.Profile, Keys.LocalKey, Keys.LocalSalt, SrtpDirection.Outbound);
        return Keys;
    }

    /// <summary>Sends one SRTP packet with the payload type the answer agreed for the codec.</summary>
    public void SendRtp(byte payloadType, ushort sequence, uint timestamp, uint ssrc, ReadOnlySpan<byte> payload, bool marker = false) =>
        SendRaw(ProtectRtp(payloadType, sequence, timestamp, ssrc, payload, marker));

    /// <summary>One RTP packet through SRTP, not sent: a caller that holds packets back (a simulated network) sends them later with <see cref="SendRaw"/>.</summary>
    public byte[] ProtectRtp(byte payloadType, ushort sequence, uint timestamp, uint ssrc, ReadOnlySpan<byte> payload, bool marker = false)
    {
        var buffer = new byte[12 + payload.Length + SrtpSession.MaxTrailer];
        Assert.True(RtpHeader.TryWrite(buffer, marker, payloadType, sequence, timestamp, ssrc, out var header));
        payload.CopyTo(buffer.AsSpan(header));
        Assert.True(_srtpOut!.TryProtectRtp(buffer, header + payload.Length, out var length));
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Sends one RTCP compound through SRTCP.</summary>
    public void SendRtcp(ReadOnlySpan<byte> compound)
    {
        var buffer = new byte[compound.Length + SrtpSession.MaxTrailer];
        compound.CopyTo(buffer);
        Assert.True(_srtpOut!.TryProtectRtcp(buffer, compound.Length, out var length));
        _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, _remote!);
    }

    public void SendRaw(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _remote!);

    /// <summary>Decrypted RTP and RTCP packets received so far.</summary>
    public IReadOnlyList<byte[]> Received => _received.ToArray();

    public int PayloadTypeOf(string codec) =>
        Answer!.Media.SelectMany(m => m.Codecs).First(c => string.Equals(c.Name, codec, StringComparison.OrdinalIgnoreCase)).PayloadType;

    public void Send(ReadOnlySpan<byte> datagram)
    {
        if (_remote is not null)
        {
            _socket.SendTo(datagram, SocketFlags.None, _remote);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _dtls?.Dispose();
        _socket.Dispose();
        _receiver.Join(TimeSpan.FromSeconds(2));
        _srtpIn?.Dispose();
        _srtpOut?.Dispose();
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            var packet = buffer.AsSpan(0, length);
            switch (PacketClassifier.Classify(packet))
            {
                case PacketKind.Stun when StunMessage.TryParse(packet, out var message):
                    if (_transactions.TryRemove(Convert.ToHexString(message.TransactionId), out var waiter))
                    {
                        waiter.TrySetResult(packet.ToArray());
                    }

                    break;
                case PacketKind.Dtls:
                    _dtls?.Receive(packet);
                    break;
                case PacketKind.Rtp when DropIncoming is { } drop && RtpPacket.TryParse(packet, out var header) && drop(header.Ssrc, header.SequenceNumber):
                    break;
                case PacketKind.Rtp when _srtpIn is { } rtpIn && rtpIn.TryUnprotectRtp(buffer, length, out var plain):
                    _received.Enqueue(buffer.AsSpan(0, plain).ToArray());
                    break;
                case PacketKind.Rtcp when _srtpIn is { } rtcpIn && rtcpIn.TryUnprotectRtcp(buffer, length, out var plainRtcp):
                    _received.Enqueue(buffer.AsSpan(0, plainRtcp).ToArray());
                    break;
            }
        }
    }

    private static string RandomText(int length)
    {
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });
    }
}
