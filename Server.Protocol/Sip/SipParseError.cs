namespace MediaServer.Protocol.Sip;

/// <summary>
/// Why a message was refused, as the response a UAS would send for it (RFC 3261 §8.2, §21.4):
/// 400 for syntax, 416 for a Request-URI scheme we do not serve, 505 for another SIP version,
/// 513 when the message is larger than we accept. The reason is a fixed string, so the
/// error path allocates nothing; it is meant to be the Reason-Phrase of that response.
/// </summary>
public readonly record struct SipParseError(int StatusCode, string Reason)
{
    internal static SipParseError BadRequest(string reason) => new(400, reason);

    internal static readonly SipParseError VersionNotSupported = new(505, "Version Not Supported");

    internal static readonly SipParseError UnsupportedScheme = new(416, "Unsupported URI Scheme");

    internal static readonly SipParseError TooLarge = new(513, "Message Too Large");

    public override string ToString() => $"{StatusCode} {Reason}";
}
