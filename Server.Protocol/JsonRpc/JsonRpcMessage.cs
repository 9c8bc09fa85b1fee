using System.Text.Json;

namespace MediaServer.Protocol.JsonRpc;

/// <summary>
/// A classified view of one JSON-RPC 2.0 message (https://www.jsonrpc.org/specification §4, §5).
/// It borrows the <see cref="JsonElement"/>s of the caller's <see cref="JsonDocument"/>
/// and is valid only until that document is disposed.
/// </summary>
/// <remarks>
/// Order of the checks follows the reference Verto server: anything carrying
/// <c>result</c> or <c>error</c> without <c>method</c> answers one of our requests and is
/// ignored, before the version is even looked at; then <c>jsonrpc</c> must be exactly "2.0";
/// then <c>method</c> must be a string.
/// </remarks>
public readonly struct JsonRpcMessage
{
    private JsonRpcMessage(JsonRpcMessageKind kind, JsonElement id, string? method, JsonElement parameters)
    {
        Kind = kind;
        Id = id;
        Method = method;
        Params = parameters;
    }

    public JsonRpcMessageKind Kind { get; }

    /// <summary>The request id as sent (number or string), or an undefined element when absent.</summary>
    public JsonElement Id { get; }

    public bool HasId => Id.ValueKind != JsonValueKind.Undefined;

    public string? Method { get; }

    /// <summary>The params value, or an undefined element when absent.</summary>
    public JsonElement Params { get; }

    /// <summary>True when params is present and is a JSON object (Verto always sends an object).</summary>
    public bool HasObjectParams => Params.ValueKind == JsonValueKind.Object;

    public static JsonRpcMessage Classify(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new JsonRpcMessage(JsonRpcMessageKind.NotAnObject, default, null, default);
        }

        element.TryGetProperty("id"u8, out var id);
        var hasMethod = element.TryGetProperty("method"u8, out var method);
        if (!hasMethod && (element.TryGetProperty("result"u8, out _) || element.TryGetProperty("error"u8, out _)))
        {
            return new JsonRpcMessage(JsonRpcMessageKind.Response, id, null, default);
        }

        if (!element.TryGetProperty("jsonrpc"u8, out var version)
            || version.ValueKind != JsonValueKind.String
            || !IsVersion2(version))
        {
            return new JsonRpcMessage(JsonRpcMessageKind.InvalidVersion, id, null, default);
        }

        element.TryGetProperty("params"u8, out var parameters);
        if (!hasMethod || method.ValueKind != JsonValueKind.String)
        {
            return new JsonRpcMessage(JsonRpcMessageKind.MissingMethod, id, null, parameters);
        }

        var name = ReadString(method);
        if (string.IsNullOrEmpty(name))
        {
            return new JsonRpcMessage(JsonRpcMessageKind.MissingMethod, id, null, parameters);
        }

        return new JsonRpcMessage(JsonRpcMessageKind.Request, id, name, parameters);
    }

    /// <summary>
    /// The string's value, or null when its escapes do not make valid UTF-16 (a lone surrogate
    /// such as "\ud800"): the frame is valid JSON, so only reading the value finds that out.
    /// </summary>
    private static string? ReadString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>"2.0", compared without allocating; a lone surrogate escape is simply not "2.0".</summary>
    private static bool IsVersion2(JsonElement version)
    {
        try
        {
            return version.ValueEquals("2.0"u8);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
