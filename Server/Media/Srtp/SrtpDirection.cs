namespace MediaServer.Media.Srtp;

/// <summary>Which way an <see cref="SrtpSession"/> works: it either protects what we send or unprotects what we receive.</summary>
public enum SrtpDirection
{
    /// <summary>Unprotects packets from the peer (libsrtp <c>ssrc_any_inbound</c>).</summary>
    Inbound,

    /// <summary>Protects packets to the peer (libsrtp <c>ssrc_any_outbound</c>).</summary>
    Outbound,
}
