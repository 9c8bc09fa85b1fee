namespace MediaServer.Protocol.JsonRpc;

/// <summary>Exact error message strings of the Verto dialect (verto-protocol.md §1.3).</summary>
public static class JsonRpcErrorMessage
{
    public const string InvalidRequest = "Invalid Request";
    public const string InvalidMessage = "Invalid message";
    public const string AuthenticationRequired = "Authentication Required";
    public const string MissingParams = "Missing params";
    public const string MissingPasswd = "Missing passwd";
    public const string ImproperCredentials = "Missing or improper credentials";
    public const string LoginIncorrect = "Login Incorrect";
    public const string AuthenticationFailure = "Authentication Failure";
    public const string SessionInUse = "Session in use";
    public const string InvalidMethod = "Invalid Method, Missing Method or Permission Denied";
    public const string PermissionDenied = "Permission Denied";
    public const string ParamsDataMissing = "Params data missing";
    public const string InvalidChannel = "Invalid channel";
    public const string UnexpectedError = "Unexpected Error";

    /// <summary>Our own, for the per-account login lockout; still a -32001 so clients treat it as a failed login.</summary>
    public const string TooManyFailedLogins = "Too many failed logins, try again later";

    /// <summary>Our own, for an address failing logins faster than its allowed rate; also a -32001.</summary>
    public const string TooManyLoginAttempts = "Too many login attempts, slow down";

    /// <summary>Our own, for the per-connection message rate limit.</summary>
    public const string RateLimited = "Rate limit exceeded";
}
