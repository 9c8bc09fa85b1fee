using MediaServer.Calls;
using MediaServer.Conferences;
using MediaServer.Media;
using MediaServer.Sip;

namespace MediaServer.Records;

/// <summary>
/// One call detail record: a call leg (<see cref="Kind"/> <c>call</c>, written when the leg
/// ends) or a room membership (<c>member</c>, written when the member leaves). Immutable; made
/// by the call and conference registries, queued to <see cref="CdrWriter"/>, stored by
/// <see cref="Storage.CdrStore"/>, read back by the admin export.
/// </summary>
internal sealed record CallDetailRecord
{
    public const string CallKind = "call";
    public const string MemberKind = "member";

    /// <summary>The row's number in the table (0 before it is stored).</summary>
    public long Id { get; init; }

    public required string Kind { get; init; }

    /// <summary>The Verto callID, or our id of a SIP leg.</summary>
    public required string CallId { get; init; }

    /// <summary>The room, for a membership row.</summary>
    public string? Room { get; init; }

    /// <summary>The member id in the room, for a membership row.</summary>
    public int? MemberId { get; init; }

    /// <summary><c>inbound</c> (the party called us) or <c>outbound</c> (we called the party).</summary>
    public required string Direction { get; init; }

    /// <summary>Who: the Verto login (<c>1000@example.com</c>) or the SIP From of the party.</summary>
    public required string User { get; init; }

    public string? CallerIdName { get; init; }

    public string? CallerIdNumber { get; init; }

    /// <summary><c>verto</c>, <c>sip-udp</c> or <c>sip-tcp</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The party's signalling address and port.</summary>
    public string? RemoteAddress { get; init; }

    public required string Destination { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the call was answered (a member: when it joined); null for an unanswered leg.</summary>
    public DateTimeOffset? AnsweredAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>The Verto/Q.850 cause name (<c>NORMAL_CLEARING</c>) and code (16).</summary>
    public required string HangupCause { get; init; }

    public required int HangupCauseCode { get; init; }

    public string? AudioCodec { get; init; }

    public string? VideoCodec { get; init; }

    public long PacketsSent { get; init; }

    public long PacketsReceived { get; init; }

    public long PacketsLost { get; init; }

    public double JitterMs { get; init; }

    /// <summary>The round-trip time from the party's RTCP, when it reported one.</summary>
    public double? RoundTripMs { get; init; }

    /// <summary>The E-model estimate (<see cref="MosEstimate"/>); null when no media flowed.</summary>
    public double? Mos { get; init; }

    /// <summary>The record of a call leg that just ended (its media leg may be disposed already: the counters stay readable).</summary>
    public static CallDetailRecord ForCall(Call call, DateTimeOffset endedAt)
    {
        var cause = call.EndCause ?? Calls.HangupCause.NormalClearing;
        return WithMedia(call.Leg?.Statistics(), new CallDetailRecord
        {
            Kind = CallKind,
            CallId = call.CallId,
            Direction = call.DisplayDirection,
            User = PartyOf(call),
            CallerIdName = call.CallerIdName,
            CallerIdNumber = call.CallerIdNumber,
            Protocol = ProtocolOf(call),
            RemoteAddress = RemoteAddressOf(call),
            Destination = call.DestinationNumber,
            StartedAt = call.StartedAt,
            AnsweredAt = call.AnsweredAt,
            EndedAt = endedAt,
            HangupCause = HangupCauseNames.Name(cause),
            HangupCauseCode = HangupCauseNames.Code(cause),
        });
    }

    /// <summary>The record of a room membership that just ended; the media figures are its call's so far.</summary>
    public static CallDetailRecord ForMember(ConferenceMember member, DateTimeOffset leftAt) =>
        ForCall(member.Call, leftAt) with
        {
            Kind = MemberKind,
            Room = member.Conference.Name,
            MemberId = member.Id,
            StartedAt = member.JoinedAt,
            AnsweredAt = member.JoinedAt,
        };

    private static CallDetailRecord WithMedia(MediaLegStatistics? statistics, CallDetailRecord record)
    {
        if (statistics is not { } media)
        {
            return record;
        }

        return record with
        {
            AudioCodec = media.AudioCodec,
            VideoCodec = media.VideoCodec,
            PacketsSent = media.PacketsSent,
            PacketsReceived = media.PacketsReceived,
            PacketsLost = media.PacketsLost,
            JitterMs = Math.Round(media.JitterMs, 2),
            RoundTripMs = media.RoundTripMs is { } rtt ? Math.Round(rtt, 2) : null,
            Mos = MosOf(media),
        };
    }

    /// <summary>
    /// The MOS estimate of a leg: loss is the worse of the two directions we know of (what we
    /// lost of the party's packets, what the party's RTCP says it lost of ours); no media, no estimate.
    /// </summary>
    private static double? MosOf(MediaLegStatistics media)
    {
        if (media.PacketsReceived == 0 && media.PacketsSent == 0)
        {
            return null;
        }

        var inbound = media.PacketsReceived + media.PacketsLost == 0 ? 0 : 100.0 * media.PacketsLost / (media.PacketsReceived + media.PacketsLost);
        var outbound = media.PacketsSent == 0 ? 0 : 100.0 * Math.Min(media.PeerReportedLost, media.PacketsSent) / media.PacketsSent;
        return MosEstimate.Estimate(Math.Max(inbound, outbound), media.JitterMs, media.RoundTripMs ?? 0);
    }

    /// <summary>A browser's login, or a SIP party's address-of-record (From of a call to us, To of ours).</summary>
    private static string PartyOf(Call call) => call.Sip is { } sip ? sip.Dialog.RemoteUri : call.User.Entry.Uid;

    private static string ProtocolOf(Call call) => call.Sip is { } sip
        ? sip.Dialog.Destination.Transport == SipTransportKind.Tcp ? "sip-tcp" : "sip-udp"
        : "verto";

    private static string? RemoteAddressOf(Call call) => call.Sip is { } sip ? sip.Dialog.Destination.Address.ToString() : call.RemoteAddress;
}
