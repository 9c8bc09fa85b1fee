namespace MediaServer.Protocol.JsonRpc;

/// <summary>What one JSON value received on a Verto socket turned out to be.</summary>
public enum JsonRpcMessageKind
{
    /// <summary>A request (or a notification: a request without id).</summary>
    Request,

    /// <summary>A response to one of our requests (result or error, no method): ignored.</summary>
    Response,

    /// <summary>An object whose <c>jsonrpc</c> member is missing or not "2.0".</summary>
    InvalidVersion,

    /// <summary>A JSON-RPC 2.0 object without a usable string method.</summary>
    MissingMethod,

    /// <summary>Valid JSON that is not an object (a number, a string, ...).</summary>
    NotAnObject,
}
