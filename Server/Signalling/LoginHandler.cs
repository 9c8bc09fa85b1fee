using System.Text.Json;
using MediaServer.Observability;
using MediaServer.Protocol.JsonRpc;
using MediaServer.Security;

namespace MediaServer.Signalling;

/// <summary>
/// Checks credentials against the directory and binds the sessid (verto-protocol.md §2.1-2.3,
/// §1.5), with the exact -32001 variants. Failures count towards the account lockout and the address's failure rate (LoginThrottle).
/// </summary>
internal static class LoginHandler
{
    private const int MaxSessidLength = 256;

    /// <summary>Authenticates with the request's params; on failure the error has been sent and false is returned.</summary>
    public static bool Authenticate(RpcCall call)
    {
        var connection = call.Connection;
        var server = connection.Server;
        var parameters = call.Params;
        var login = VertoDispatcher.StringParam(parameters, "login");
        var passwd = VertoDispatcher.StringParam(parameters, "passwd");
        var now = Environment.TickCount64;

        if (string.IsNullOrEmpty(passwd))
        {
            call.Fail(JsonRpcErrorCode.AuthenticationFailed, JsonRpcErrorMessage.MissingPasswd);
            return false;
        }

        if (!TrySplit(login, server.Settings.Directory.Domain, out var userId, out var domain))
        {
            call.Fail(JsonRpcErrorCode.AuthenticationFailed, JsonRpcErrorMessage.ImproperCredentials);
            return false;
        }

        var account = LoginThrottle.AccountKey(userId, domain);
        switch (server.Throttle.Check(connection.RemoteAddress, account, now))
        {
            case LoginRefusal.AccountLocked:
                Interlocked.Increment(ref server.Metrics.LoginsFailed);
                call.Fail(JsonRpcErrorCode.AuthenticationFailed, JsonRpcErrorMessage.TooManyFailedLogins);
                return false;
            case LoginRefusal.AddressTooFast:
                Interlocked.Increment(ref server.Metrics.LoginsFailed);
                Interlocked.Increment(ref server.Metrics.LoginsRateLimited);
                call.Fail(JsonRpcErrorCode.AuthenticationFailed, JsonRpcErrorMessage.TooManyLoginAttempts);
                return false;
        }

        var entry = server.Settings.Directory.Find(userId, domain);
        if (entry is null)
        {
            return Refuse(call, login!, account, JsonRpcErrorMessage.LoginIncorrect);
        }

        var good = entry.PasswordHash is not null
            ? PasswordHasher.Verify(passwd, entry.PasswordHash)
            : PasswordHasher.PlainEquals(passwd, entry.Password ?? string.Empty);
        if (!good)
        {
            return Refuse(call, login!, account, JsonRpcErrorMessage.AuthenticationFailure);
        }

        var sessid = VertoDispatcher.StringParam(parameters, "sessid");
        if (string.IsNullOrEmpty(sessid) || sessid.Length > MaxSessidLength)
        {
            sessid = connection.SessionId ?? Guid.NewGuid().ToString();
        }

        if (!server.Sessions.TryBind(sessid, connection, entry.Uid, out var displaced))
        {
            Interlocked.Increment(ref server.Metrics.LoginsFailed);
            SignallingLog.LoginFailed(server.Log, login!, connection.RemoteAddress, "sessid in use by another user");
            call.Fail(JsonRpcErrorCode.AuthenticationFailed, JsonRpcErrorMessage.SessionInUse);
            call.CloseAfterReply = true;
            return false;
        }

        server.Throttle.RecordSuccess(connection.RemoteAddress, account);
        connection.Authenticated(new AuthenticatedUser(entry, UserPermissions.For(entry)), sessid);
        Interlocked.Increment(ref server.Metrics.LoginsSucceeded);
        SignallingLog.LoggedIn(server.Log, entry.Uid, connection.RemoteAddress, sessid);
        if (displaced is not null)
        {
            SignallingLog.Punted(server.Log, sessid, entry.Uid);
            displaced.Punt();
        }

        return true;
    }

    private static bool Refuse(RpcCall call, string login, string account, string reason)
    {
        var connection = call.Connection;
        var server = connection.Server;
        Interlocked.Increment(ref server.Metrics.LoginsFailed);
        SignallingLog.LoginFailed(server.Log, login, connection.RemoteAddress, reason);
        if (server.Throttle.RecordFailure(connection.RemoteAddress, account, Environment.TickCount64))
        {
            Interlocked.Increment(ref server.Metrics.LoginLockouts);
            SignallingLog.LockedOut(server.Log, account, connection.RemoteAddress, server.Limits.LockoutSeconds);
        }

        call.Fail(JsonRpcErrorCode.AuthenticationFailed, reason);
        return false;
    }

    /// <summary>Splits <c>user@domain</c>; a bare user takes the server's domain (FreeSWITCH's force-register-domain).</summary>
    private static bool TrySplit(string? login, string defaultDomain, out string userId, out string domain)
    {
        userId = string.Empty;
        domain = string.Empty;
        if (string.IsNullOrWhiteSpace(login) || login.Length > 512)
        {
            return false;
        }

        var at = login.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            userId = login;
            domain = defaultDomain;
        }
        else
        {
            userId = login[..at];
            domain = login[(at + 1)..];
        }

        return userId.Length > 0 && domain.Length > 0;
    }

    /// <summary>True when the params object carries a login member at all.</summary>
    public static bool HasLogin(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("login"u8, out _);
}
