using System.Net;
using MediaServer.Protocol.Stun;

namespace MediaServer.Bench.Load;

/// <summary>
/// Our answer to a connectivity check the server sends us (RFC 8445 §7.3). Our own server is
/// ICE-lite and never checks, but Janus's libnice agent checks the pair even in ICE-lite mode
/// and nominates it (ICE "connected", then DTLS) only once one of its checks is answered: with
/// the checks unanswered Janus logs "ICE failed" and never starts DTLS. Pure: the caller sends
/// what is written.
/// </summary>
internal static class IceCheckAnswer
{
    /// <summary>A Binding success response with an IPv6 XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT is 76 bytes.</summary>
    public const int MaxLength = 96;

    /// <summary>
    /// Writes the response to <paramref name="request"/> (a Binding request) into
    /// <paramref name="response"/>: a success response (XOR-MAPPED-ADDRESS of
    /// <paramref name="from"/>, MESSAGE-INTEGRITY with our password, FINGERPRINT) when the
    /// request names our ufrag first in USERNAME ("ours:theirs") and its MESSAGE-INTEGRITY
    /// checks with our password; otherwise a 401 error response without MESSAGE-INTEGRITY
    /// (RFC 8489 §9.1.3), and returns false.
    /// </summary>
    public static bool Write(
        in StunMessage request, ReadOnlySpan<byte> localUfrag, ReadOnlySpan<byte> localPassword, IPEndPoint from,
        Span<byte> response, out int length)
    {
        bool authentic = NamesUs(request, localUfrag)
                         && request.VerifyMessageIntegrity(localPassword)
                         && (!request.HasFingerprint || request.VerifyFingerprint());
        if (!authentic)
        {
            var error = new StunWriter(response, StunMethod.Binding, StunClass.ErrorResponse, request.TransactionId);
            error.AddErrorCode(401, "Unauthorized"u8);
            error.AddFingerprint();
            length = error.Length;
            return false;
        }
        Span<byte> address = stackalloc byte[16];
        if (!from.Address.TryWriteBytes(address, out int addressLength))
        {
            throw new ArgumentException("an IP address is 4 or 16 bytes", nameof(from));
        }
        var writer = new StunWriter(response, StunMethod.Binding, StunClass.SuccessResponse, request.TransactionId);
        writer.AddXorMappedAddress(address[..addressLength], (ushort)from.Port);
        writer.AddMessageIntegrity(localPassword);
        writer.AddFingerprint();
        length = writer.Length;
        return true;
    }

    /// <summary>USERNAME is "&lt;receiver's ufrag&gt;:&lt;sender's ufrag&gt;" (RFC 8445 §7.2.2): ours must come first.</summary>
    private static bool NamesUs(in StunMessage request, ReadOnlySpan<byte> localUfrag) =>
        request.TryGetUsername(out ReadOnlySpan<byte> username)
        && username.Length > localUfrag.Length
        && username.StartsWith(localUfrag)
        && username[localUfrag.Length] == (byte)':';
}
