using System.Net.WebSockets;

namespace MediaServer.Signalling;

/// <summary>One entry of a connection's send queue: a text frame, the speed-test download, or the closing frame.</summary>
internal readonly struct OutboundFrame
{
    private OutboundFrame(byte[]? text, long speedTestBytes, WebSocketCloseStatus? closeStatus, string? closeReason)
    {
        Text = text;
        SpeedTestBytes = speedTestBytes;
        CloseStatus = closeStatus;
        CloseReason = closeReason;
    }

    public byte[]? Text { get; }

    public long SpeedTestBytes { get; }

    public WebSocketCloseStatus? CloseStatus { get; }

    public string? CloseReason { get; }

    public static OutboundFrame Message(byte[] text) => new(text, 0, null, null);

    public static OutboundFrame SpeedTest(long bytes) => new(null, bytes, null, null);

    public static OutboundFrame Close(WebSocketCloseStatus status, string reason) => new(null, 0, status, reason);
}
