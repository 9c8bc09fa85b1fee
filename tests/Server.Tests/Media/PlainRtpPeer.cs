using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MediaServer.Protocol.Payload;
using MediaServer.Protocol.Rtp;

namespace MediaServer.Tests.Media;

/// <summary>
/// A SIP phone's media side as a test needs it, on 127.0.0.1: an RTP and an RTCP socket that
/// record what arrives, plain RTP/AVP packets written by hand (PCMU and RFC 4733 events), and
/// the SDP offer such a phone sends. Sends go to the server leg's port pair.
/// </summary>
internal sealed class PlainRtpPeer : IDisposable
{
    private readonly ConcurrentQueue<byte[]> _rtp = new();
    private readonly ConcurrentQueue<byte[]> _rtcp = new();
    private readonly CancellationTokenSource _stop = new();

    public PlainRtpPeer()
    {
        Rtp = Bind();
        Rtcp = Bind();
        _ = ReceiveAsync(Rtp, _rtp);
        _ = ReceiveAsync(Rtcp, _rtcp);
    }

    public uint Ssrc { get; } = 0x0A0B0C0D;

    public UdpClient Rtp { get; }

    public UdpClient Rtcp { get; }

    public int RtpPort => ((IPEndPoint)Rtp.Client.LocalEndPoint!).Port;

    public int RtcpPort => ((IPEndPoint)Rtcp.Client.LocalEndPoint!).Port;

    /// <summary>The server leg's RTP port; RTCP goes to the next one unless <see cref="Muxed"/>.</summary>
    public int ServerPort { get; set; }

    public bool Muxed { get; set; }

    public IReadOnlyList<byte[]> ReceivedRtp => [.. _rtp];

    public IReadOnlyList<byte[]> ReceivedRtcp => [.. _rtcp];

    /// <summary>
    /// The offer a phone makes: PCMU and telephone-event/8000 at <paramref name="sdpPort"/>
    /// (its RTP socket unless a test lies about it), a=rtcp naming its RTCP socket.
    /// </summary>
    public string Offer(int? sdpPort = null, string direction = "sendrecv", string address = "127.0.0.1", int version = 1, bool rtcpMux = false) =>
        string.Join("\r\n",
            "v=0",
            $"o=phone 777 {version} IN IP4 127.0.0.1",
            "s=-",
            $"c=IN IP4 {address}",
            "t=0 0",
            $"m=audio {sdpPort ?? RtpPort} RTP/AVP 0 101",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=ptime:20",
            rtcpMux ? "a=rtcp-mux" : $"a=rtcp:{RtcpPort}",
            $"a={direction}",
            string.Empty);

    public void SendPcmu(ushort sequence, uint timestamp, int payloadLength = 160, UdpClient? from = null, byte payloadType = 0) =>
        Send(Packet(payloadType, sequence, timestamp, Ssrc, new byte[payloadLength], marker: false), from);

    /// <summary>One RFC 4733 event packet (PT 101).</summary>
    public void SendEvent(byte code, bool end, ushort duration, ushort sequence, uint timestamp, bool marker = false)
    {
        var payload = new byte[TelephoneEvent.Size];
        Assert.True(new TelephoneEvent(code, end, 10, duration).TryWrite(payload, out _));
        Send(Packet(101, sequence, timestamp, Ssrc, payload, marker), null);
    }

    /// <summary>A key press as RFC 4733 §2.5.1 has it sent: a few packets while down, then the end three times.</summary>
    public void PressKey(char digit, ushort firstSequence, uint timestamp)
    {
        var code = (byte)TelephoneEvent.FromDigit(digit)!.Value;
        var sequence = firstSequence;
        for (var i = 1; i <= 3; i++)
        {
            SendEvent(code, end: false, duration: (ushort)(160 * i), sequence++, timestamp, marker: i == 1);
        }

        for (var i = 0; i < 3; i++)
        {
            SendEvent(code, end: true, duration: 640, sequence++, timestamp);
        }
    }

    public void Send(byte[] datagram, UdpClient? from = null) =>
        (from ?? Rtp).Send(datagram, new IPEndPoint(IPAddress.Loopback, ServerPort));

    public void SendRtcp(byte[] datagram, UdpClient? from = null) =>
        (from ?? Rtcp).Send(datagram, new IPEndPoint(IPAddress.Loopback, Muxed ? ServerPort : ServerPort + 1));

    public static byte[] Packet(byte payloadType, ushort sequence, uint timestamp, uint ssrc, ReadOnlySpan<byte> payload, bool marker)
    {
        var buffer = new byte[RtpPacket.FixedHeaderLength + payload.Length];
        Assert.True(RtpHeader.TryWrite(buffer, marker, payloadType, sequence, timestamp, ssrc, out var header));
        payload.CopyTo(buffer.AsSpan(header));
        return buffer;
    }

    public static UdpClient Bind() => new(new IPEndPoint(IPAddress.Loopback, 0));

    /// <summary>Records every datagram another socket receives (a "wrong" address a test watches).</summary>
    public static async Task CollectAsync(UdpClient socket, ConcurrentQueue<byte[]> into, CancellationToken cancel)
    {
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(cancel);
                into.Enqueue(result.Buffer);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        Rtp.Dispose();
        Rtcp.Dispose();
        _stop.Dispose();
    }

    private Task ReceiveAsync(UdpClient socket, ConcurrentQueue<byte[]> into) => CollectAsync(socket, into, _stop.Token);
}
