namespace MediaServer.Protocol.JsonRpc;

/// <summary>
/// The error codes of the Verto dialect of JSON-RPC (verto-protocol.md §1.3). The messages
/// that go with them are in <see cref="JsonRpcErrorMessage"/>; real clients compare
/// neither, but people reading logs and other clients' code do, so they are exact.
/// </summary>
public static class JsonRpcErrorCode
{
    /// <summary>Unparseable frame, or a request whose jsonrpc member is wrong.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>Unknown method, no method, or a method this user may not call.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>A handler refused without a reason.</summary>
    public const int PermissionDenied = -32602;

    /// <summary>Not authenticated and no credentials in the request: the client logs in and re-sends.</summary>
    public const int AuthenticationRequired = -32000;

    /// <summary>Credentials were given and refused.</summary>
    public const int AuthenticationFailed = -32001;

    /// <summary>A method handler failed ("session error").</summary>
    public const int SessionError = -32002;

    /// <summary>Our own: the connection sends faster than its configured message rate.</summary>
    public const int RateLimited = -32010;
}
