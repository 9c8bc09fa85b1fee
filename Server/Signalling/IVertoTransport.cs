using System.Net;
using System.Net.WebSockets;

namespace MediaServer.Signalling;

/// <summary>
/// What a <see cref="VertoConnection"/> needs from the socket under it: an ordered, bounded
/// way out and a way to end it. The WebSocket pump implements it; benchmarks use a sink.
/// All members are safe to call from any thread.
/// </summary>
internal interface IVertoTransport
{
    IPAddress RemoteAddress { get; }

    /// <summary>The peer's TCP port (0 when the transport has none).</summary>
    int RemotePort { get; }

    /// <summary>
    /// Queues one text frame. Returns false when the transport is closing, or when the queue
    /// is over its bound: then the peer is not reading, and the transport aborts itself
    /// rather than grow or drop a message from the middle of the stream.
    /// </summary>
    bool Send(byte[] message);

    /// <summary>Queues the download half of the speed test: blocks of <paramref name="bytes"/> in total, then <c>#SPD</c>.</summary>
    void SendSpeedTestDownload(long bytes);

    /// <summary>Sends what is queued, then a close frame with this status; later sends are refused.</summary>
    void Close(WebSocketCloseStatus status, string reason);

    /// <summary>Ends the connection at once, queued messages and all.</summary>
    void Abort(string reason);

    /// <summary>Monotonic milliseconds at which the send now in progress started, or 0 when none is.</summary>
    long SendStartedMs { get; }
}
