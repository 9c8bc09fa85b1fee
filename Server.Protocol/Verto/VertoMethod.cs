namespace MediaServer.Protocol.Verto;

/// <summary>Method names of the Verto dialect (verto-protocol.md §3, §4).</summary>
public static class VertoMethod
{
    public const string Login = "login";
    public const string Echo = "echo";
    public const string Invite = "verto.invite";
    public const string Answer = "verto.answer";
    public const string Bye = "verto.bye";
    public const string Modify = "verto.modify";
    public const string Info = "verto.info";
    public const string Attach = "verto.attach";
    public const string Subscribe = "verto.subscribe";
    public const string Unsubscribe = "verto.unsubscribe";
    public const string Broadcast = "verto.broadcast";
    public const string Ping = "verto.ping";
    public const string Event = "verto.event";
    public const string ClientReady = "verto.clientReady";
    public const string Punt = "verto.punt";
    public const string Display = "verto.display";
    public const string Media = "verto.media";
    public const string JsApi = "jsapi";
    public const string FsApi = "fsapi";

    /// <summary>The family of a method: the part before the first '.', as permissions name it (§2.4).</summary>
    public static ReadOnlySpan<char> Family(ReadOnlySpan<char> method)
    {
        var dot = method.IndexOf('.');
        return dot < 0 ? method : method[..dot];
    }
}
