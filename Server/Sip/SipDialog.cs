using System.Globalization;
using MediaServer.Protocol.Sip;

namespace MediaServer.Sip;

/// <summary>
/// A SIP dialog (RFC 3261 §12): the Call-ID and tags that name it, both parties' URIs, the
/// remote target and route set that in-dialog requests follow, and the CSeq counters. Made
/// from the INVITE we answered (UAS) or the answer to ours (UAC). As a B2BUA we keep our
/// own Call-ID and tags on each side, so nothing of the other leg shows here.
/// </summary>
internal sealed class SipDialog
{
    public required string CallId { get; init; }

    public required string LocalTag { get; init; }

    public string? RemoteTag { get; set; }

    /// <summary>Our From (UAC) or To (UAS) value, without the tag.</summary>
    public required string LocalUri { get; init; }

    /// <summary>The peer's address-of-record as it appeared in From (UAS) or To (UAC).</summary>
    public required string RemoteUri { get; init; }

    /// <summary>Where in-dialog requests go: the peer's Contact.</summary>
    public required SipUri RemoteTarget { get; set; }

    /// <summary>Record-Route entries in the order our requests must carry them as Route.</summary>
    public IReadOnlyList<string> RouteSet { get; set; } = [];

    /// <summary>The transport and address in-dialog requests are sent to.</summary>
    public required SipEndPoint Destination { get; set; }

    public uint LocalSequence { get; set; }

    public uint? RemoteSequence { get; set; }

    /// <summary>An in-dialog request (BYE, re-INVITE, INFO) with the next CSeq (§12.2.1.1).</summary>
    public SipMessage CreateRequest(string method, string contact)
    {
        LocalSequence++;
        var request = SipMessage.CreateRequest(method, RemoteTarget);
        request.Headers.Add("Max-Forwards", "70");
        request.Headers.Add("From", $"{LocalUri};tag={LocalTag}");
        request.Headers.Add("To", RemoteTag is null ? RemoteUri : $"{RemoteUri};tag={RemoteTag}");
        request.Headers.Add("Call-ID", CallId);
        request.Headers.Add("CSeq", string.Create(CultureInfo.InvariantCulture, $"{LocalSequence} {method}"));
        foreach (var route in RouteSet)
        {
            request.Headers.Add("Route", route);
        }

        request.Headers.Add("Contact", contact);
        return request;
    }

    /// <summary>The ACK for a 2xx: a new transaction-less request with the INVITE's CSeq number (§13.2.2.4).</summary>
    public SipMessage CreateAck(uint inviteSequence, string contact)
    {
        var ack = SipMessage.CreateRequest("ACK", RemoteTarget);
        ack.Headers.Add("Max-Forwards", "70");
        ack.Headers.Add("From", $"{LocalUri};tag={LocalTag}");
        ack.Headers.Add("To", RemoteTag is null ? RemoteUri : $"{RemoteUri};tag={RemoteTag}");
        ack.Headers.Add("Call-ID", CallId);
        ack.Headers.Add("CSeq", string.Create(CultureInfo.InvariantCulture, $"{inviteSequence} ACK"));
        foreach (var route in RouteSet)
        {
            ack.Headers.Add("Route", route);
        }

        ack.Headers.Add("Contact", contact);
        return ack;
    }

    /// <summary>Key of the dialog in the UA's table: Call-ID plus our tag.</summary>
    public string Key => Keys(CallId, LocalTag);

    public static string Keys(string callId, string localTag) => callId + "|" + localTag;
}
