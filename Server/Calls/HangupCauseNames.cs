using System.Collections.Frozen;

namespace MediaServer.Calls;

/// <summary>The wire names of <see cref="HangupCause"/> (§6.5) and the lookups verto.bye needs.</summary>
internal static class HangupCauseNames
{
    private static readonly FrozenDictionary<HangupCause, string> Names = new Dictionary<HangupCause, string>
    {
        [HangupCause.None] = "NONE",
        [HangupCause.UnallocatedNumber] = "UNALLOCATED_NUMBER",
        [HangupCause.NoRouteTransitNet] = "NO_ROUTE_TRANSIT_NET",
        [HangupCause.NoRouteDestination] = "NO_ROUTE_DESTINATION",
        [HangupCause.ChannelUnacceptable] = "CHANNEL_UNACCEPTABLE",
        [HangupCause.CallAwardedDelivered] = "CALL_AWARDED_DELIVERED",
        [HangupCause.NormalClearing] = "NORMAL_CLEARING",
        [HangupCause.UserBusy] = "USER_BUSY",
        [HangupCause.NoUserResponse] = "NO_USER_RESPONSE",
        [HangupCause.NoAnswer] = "NO_ANSWER",
        [HangupCause.SubscriberAbsent] = "SUBSCRIBER_ABSENT",
        [HangupCause.CallRejected] = "CALL_REJECTED",
        [HangupCause.NumberChanged] = "NUMBER_CHANGED",
        [HangupCause.RedirectionToNewDestination] = "REDIRECTION_TO_NEW_DESTINATION",
        [HangupCause.ExchangeRoutingError] = "EXCHANGE_ROUTING_ERROR",
        [HangupCause.DestinationOutOfOrder] = "DESTINATION_OUT_OF_ORDER",
        [HangupCause.InvalidNumberFormat] = "INVALID_NUMBER_FORMAT",
        [HangupCause.FacilityRejected] = "FACILITY_REJECTED",
        [HangupCause.ResponseToStatusEnquiry] = "RESPONSE_TO_STATUS_ENQUIRY",
        [HangupCause.NormalUnspecified] = "NORMAL_UNSPECIFIED",
        [HangupCause.NormalCircuitCongestion] = "NORMAL_CIRCUIT_CONGESTION",
        [HangupCause.NetworkOutOfOrder] = "NETWORK_OUT_OF_ORDER",
        [HangupCause.NormalTemporaryFailure] = "NORMAL_TEMPORARY_FAILURE",
        [HangupCause.SwitchCongestion] = "SWITCH_CONGESTION",
        [HangupCause.AccessInfoDiscarded] = "ACCESS_INFO_DISCARDED",
        [HangupCause.RequestedChanUnavail] = "REQUESTED_CHAN_UNAVAIL",
        [HangupCause.PreEmpted] = "PRE_EMPTED",
        [HangupCause.FacilityNotSubscribed] = "FACILITY_NOT_SUBSCRIBED",
        [HangupCause.OutgoingCallBarred] = "OUTGOING_CALL_BARRED",
        [HangupCause.IncomingCallBarred] = "INCOMING_CALL_BARRED",
        [HangupCause.BearercapabilityNotauth] = "BEARERCAPABILITY_NOTAUTH",
        [HangupCause.BearercapabilityNotavail] = "BEARERCAPABILITY_NOTAVAIL",
        [HangupCause.ServiceUnavailable] = "SERVICE_UNAVAILABLE",
        [HangupCause.BearercapabilityNotimpl] = "BEARERCAPABILITY_NOTIMPL",
        [HangupCause.ChanNotImplemented] = "CHAN_NOT_IMPLEMENTED",
        [HangupCause.FacilityNotImplemented] = "FACILITY_NOT_IMPLEMENTED",
        [HangupCause.ServiceNotImplemented] = "SERVICE_NOT_IMPLEMENTED",
        [HangupCause.InvalidCallReference] = "INVALID_CALL_REFERENCE",
        [HangupCause.IncompatibleDestination] = "INCOMPATIBLE_DESTINATION",
        [HangupCause.InvalidMsgUnspecified] = "INVALID_MSG_UNSPECIFIED",
        [HangupCause.MandatoryIeMissing] = "MANDATORY_IE_MISSING",
        [HangupCause.MessageTypeNonexist] = "MESSAGE_TYPE_NONEXIST",
        [HangupCause.WrongMessage] = "WRONG_MESSAGE",
        [HangupCause.IeNonexist] = "IE_NONEXIST",
        [HangupCause.InvalidIeContents] = "INVALID_IE_CONTENTS",
        [HangupCause.WrongCallState] = "WRONG_CALL_STATE",
        [HangupCause.RecoveryOnTimerExpire] = "RECOVERY_ON_TIMER_EXPIRE",
        [HangupCause.MandatoryIeLengthError] = "MANDATORY_IE_LENGTH_ERROR",
        [HangupCause.ProtocolError] = "PROTOCOL_ERROR",
        [HangupCause.Interworking] = "INTERWORKING",
        [HangupCause.Success] = "SUCCESS",
        [HangupCause.OriginatorCancel] = "ORIGINATOR_CANCEL",
        [HangupCause.Crash] = "CRASH",
        [HangupCause.SystemShutdown] = "SYSTEM_SHUTDOWN",
        [HangupCause.LoseRace] = "LOSE_RACE",
        [HangupCause.ManagerRequest] = "MANAGER_REQUEST",
        [HangupCause.BlindTransfer] = "BLIND_TRANSFER",
        [HangupCause.AttendedTransfer] = "ATTENDED_TRANSFER",
        [HangupCause.AllottedTimeout] = "ALLOTTED_TIMEOUT",
        [HangupCause.UserChallenge] = "USER_CHALLENGE",
        [HangupCause.MediaTimeout] = "MEDIA_TIMEOUT",
        [HangupCause.PickedOff] = "PICKED_OFF",
        [HangupCause.UserNotRegistered] = "USER_NOT_REGISTERED",
        [HangupCause.ProgressTimeout] = "PROGRESS_TIMEOUT",
        [HangupCause.InvalidGateway] = "INVALID_GATEWAY",
        [HangupCause.GatewayDown] = "GATEWAY_DOWN",
        [HangupCause.InvalidUrl] = "INVALID_URL",
        [HangupCause.InvalidProfile] = "INVALID_PROFILE",
        [HangupCause.NoPickup] = "NO_PICKUP",
        [HangupCause.SrtpReadError] = "SRTP_READ_ERROR",
        [HangupCause.Bowout] = "BOWOUT",
        [HangupCause.BusyEverywhere] = "BUSY_EVERYWHERE",
        [HangupCause.Decline] = "DECLINE",
        [HangupCause.DoesNotExistAnywhere] = "DOES_NOT_EXIST_ANYWHERE",
        [HangupCause.NotAcceptable] = "NOT_ACCEPTABLE",
        [HangupCause.Unwanted] = "UNWANTED",
        [HangupCause.NoIdentity] = "NO_IDENTITY",
        [HangupCause.BadIdentityInfo] = "BAD_IDENTITY_INFO",
        [HangupCause.UnsupportedCertificate] = "UNSUPPORTED_CERTIFICATE",
        [HangupCause.InvalidIdentity] = "INVALID_IDENTITY",
        [HangupCause.StaleDate] = "STALE_DATE",
        [HangupCause.RejectAll] = "REJECT_ALL",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, HangupCause> ByName =
        Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static string Name(HangupCause cause) => Names.TryGetValue(cause, out var name) ? name : "NORMAL_UNSPECIFIED";

    public static int Code(HangupCause cause) => (int)cause;

    public static bool TryParseName(string? name, out HangupCause cause)
    {
        cause = HangupCause.NormalClearing;
        return name is not null && ByName.TryGetValue(name, out cause);
    }

    public static bool TryParseCode(int code, out HangupCause cause)
    {
        cause = (HangupCause)code;
        return Names.ContainsKey(cause);
    }
}
