using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using MediaServer.Configuration;
using MediaServer.Media;
using MediaServer.Media.Srtp;
using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Rtp;
using MediaServer.Protocol.Sdp;

namespace MediaServer.Bench.Micro;

/// <summary>
/// A SIP leg's per-packet work on plain RTP: a received PCMU packet checked against the latch
/// and the agreed payload types, handed to the leg, relayed back under our SSRC (echo) and
/// sent on a real UDP socket to 127.0.0.1; a mixer frame sent; an RFC 4733 packet turned into
/// a digit. The datagram handler is called directly, so the socket receive is not measured.
/// </summary>
[MemoryDiagnoser]
public class PlainRtpBenchmarks
{
    private const uint PeerSsrc = 0x0A0B0C0D;

    private readonly byte[] _buffer = GC.AllocateArray<byte>(PlainRtpTransport.BufferSize + SrtpSession.MaxTrailer, pinned: true);
    private readonly byte[] _frame = new byte[160];
    private readonly byte[] _event = new byte[TelephoneEvent.Size];
    private readonly char[] _digits = new char[2];
    private readonly TelephoneEventReceiver _events = new();
    private UdpClient _peer = null!;
    private MediaLeg _leg = null!;
    private PlainRtpTransport _transport = null!;
    private SocketAddress _from = null!;
    private ushort _sequence;
    private uint _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        _peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var peerPort = ((IPEndPoint)_peer.Client.LocalEndPoint!).Port;
        var pool = new RtpPortPool(new PortRange(38000, 38099), IPAddress.Loopback);
        CodecList.TryParse("pcmu,pcma", out var codecs, out _);
        _leg = MediaLeg.CreatePlain(pool, IPAddress.Loopback, codecs!, new Silent(), "bench");
        var offer = $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {peerPort} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
        SessionDescription.TryParse(offer, out var description, out _);
        if (!_leg.TryAnswerPlain(description!, out _, out _, out var error))
        {
            throw new InvalidOperationException(error);
        }

        _leg.Target = _leg;
        _transport = _leg.PlainTransport!;
        _from = new IPEndPoint(IPAddress.Loopback, peerPort).Serialize();
        new TelephoneEvent(5, true, 10, 800).TryWrite(_event, out _);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _leg.Dispose();
        _peer.Dispose();
    }

    /// <summary>Receive a 20 ms PCMU packet and echo it: the whole path of a SIP leg in an echo test.</summary>
    [Benchmark]
    public void ReceiveAndRelay()
    {
        RtpHeader.TryWrite(_buffer, false, 0, ++_sequence, _timestamp += 160, PeerSsrc, out var header);
        _frame.CopyTo(_buffer.AsSpan(header));
        _transport.OnRtpDatagram(_buffer, header + _frame.Length, _from);
    }

    /// <summary>The mixer's frame for this leg: header, copy, send.</summary>
    [Benchmark]
    public void SendMixerFrame() => _leg.SendAudio(_frame, 160);

    /// <summary>One telephone-event end packet of a new key press.</summary>
    [Benchmark]
    public int TelephoneEventDigit() => _events.OnPacket(PeerSsrc, _timestamp += 1600, _event, _digits);

    private sealed class Silent : IMediaLegListener
    {
        public void OnMediaReady(MediaLeg leg)
        {
        }

        public void OnMediaFailed(MediaLeg leg, TransportFailure failure, string reason)
        {
        }

        public void OnTelephoneEvent(MediaLeg leg, char digit)
        {
        }
    }
}
