using System.Net;
using System.Net.WebSockets;
using MediaServer.Signalling;

namespace MediaServer.Bench.Micro;

/// <summary>A transport that accepts every frame and keeps only a count, so a benchmark measures the server's work, not a socket's.</summary>
internal sealed class SinkTransport : IVertoTransport
{
    public long Frames;
    public long Bytes;

    public IPAddress RemoteAddress => IPAddress.Loopback;

    public int RemotePort => 0;

    public long SendStartedMs => 0;

    public bool Send(byte[] message)
    {
        Frames++;
        Bytes += message.Length;
        return true;
    }

    public void SendSpeedTestDownload(long bytes)
    {
    }

    public void Close(WebSocketCloseStatus status, string reason)
    {
    }

    public void Abort(string reason)
    {
    }
}
