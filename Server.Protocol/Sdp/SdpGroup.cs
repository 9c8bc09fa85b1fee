namespace MediaServer.Protocol.Sdp;

/// <summary>a=group (RFC 5888 §5), e.g. "BUNDLE 0 1" (RFC 8843): the semantics and the mids it ties together.</summary>
public sealed record SdpGroup(string Semantics, IReadOnlyList<string> Mids)
{
    /// <summary>The attribute value, "BUNDLE 0 1".</summary>
    public override string ToString() => Mids.Count == 0 ? Semantics : Semantics + " " + string.Join(' ', Mids);
}
