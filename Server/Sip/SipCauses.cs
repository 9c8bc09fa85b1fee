using MediaServer.Calls;

namespace MediaServer.Sip;

/// <summary>
/// Hang-up causes and SIP status codes, both ways, as FreeSWITCH maps them (RFC 6432's
/// Q.850 table in spirit): a call refused before answer gets the status a phone shows
/// sensibly, and a SIP failure becomes the cause a browser's verto.bye reports.
/// </summary>
internal static class SipCauses
{
    /// <summary>Seconds a 503 (congestion, overload, no RTP port) asks the caller to wait before trying again (RFC 3261 §20.33).</summary>
    public const int RetryAfterSeconds = 30;

    public static (int Status, string Reason) ToStatus(HangupCause cause) => cause switch
    {
        HangupCause.UnallocatedNumber or HangupCause.NoRouteDestination => (404, "Not Found"),
        HangupCause.UserBusy => (486, "Busy Here"),
        HangupCause.NoUserResponse or HangupCause.NoAnswer or HangupCause.UserNotRegistered => (480, "Temporarily Unavailable"),
        HangupCause.CallRejected => (603, "Decline"),
        HangupCause.OriginatorCancel => (487, "Request Terminated"),
        HangupCause.IncompatibleDestination or HangupCause.BearercapabilityNotavail => (488, "Not Acceptable Here"),
        HangupCause.NormalCircuitCongestion or HangupCause.SwitchCongestion or HangupCause.NormalTemporaryFailure => (503, "Service Unavailable"),
        HangupCause.FacilityNotImplemented => (501, "Not Implemented"),
        HangupCause.RecoveryOnTimerExpire => (408, "Request Timeout"),
        HangupCause.NormalClearing => (480, "Temporarily Unavailable"),
        _ => (500, "Server Internal Error"),
    };

    public static HangupCause FromStatus(int status) => status switch
    {
        404 or 604 => HangupCause.UnallocatedNumber,
        486 or 600 => HangupCause.UserBusy,
        480 => HangupCause.NoUserResponse,
        408 => HangupCause.NoAnswer,
        403 or 603 => HangupCause.CallRejected,
        487 => HangupCause.OriginatorCancel,
        488 or 606 => HangupCause.IncompatibleDestination,
        401 or 407 => HangupCause.CallRejected,
        >= 500 and < 600 => HangupCause.NormalTemporaryFailure,
        _ => HangupCause.NormalClearing,
    };
}
