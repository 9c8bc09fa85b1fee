namespace MediaServer.Media.Srtp;

/// <summary>The <c>srtp_err_status_t</c> values we act on (include/srtp.h, 2.5.0).</summary>
internal enum SrtpErrorStatus
{
    Ok = 0,
    Fail = 1,
    BadParam = 2,
    AllocFail = 3,
    InitFail = 5,
    AuthFail = 7,
    CipherFail = 8,
    ReplayFail = 9,
    ReplayOld = 10,
    NoContext = 13,
    ParseError = 21,
}
