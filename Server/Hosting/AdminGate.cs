using System.Net;
using System.Text;
using MediaServer.Configuration;
using MediaServer.Observability;
using MediaServer.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MediaServer.Hosting;

/// <summary>
/// The authentication of the /admin endpoints: HTTP Basic (RFC 7617) with a directory user that
/// has <c>"admin": true</c>, its password checked as a Verto login checks it, and the same
/// per-address lockout after repeated failures. Answers 401 with a challenge without or with
/// wrong credentials, 403 for a user who is not an admin or over plain HTTP, 429 while the
/// address is locked out.
/// </summary>
internal sealed class AdminGate
{
    private const string Challenge = "Basic realm=\"MediaServer admin\", charset=\"UTF-8\"";

    private readonly UserDirectory _directory;
    private readonly LoginThrottle _throttle;
    private readonly ILogger _log;

    public AdminGate(UserDirectory directory, LoginThrottle throttle, ILogger log)
    {
        _directory = directory;
        _throttle = throttle;
        _log = log;
    }

    /// <summary>The admin user of the request, or null after the refusal has been written.</summary>
    public async Task<DirectoryUser?> AuthorizeAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        context.Response.Headers.CacheControl = "no-store";
        if (!context.Request.IsHttps)
        {
            // Basic sends the password in the clear: never accept it without TLS.
            await RefuseAsync(context, remote, StatusCodes.Status403Forbidden, "the admin endpoints need HTTPS (tls.enabled in server.json)");
            return null;
        }

        if (!TryReadBasic(context.Request.Headers.Authorization.ToString(), out var login, out var password))
        {
            context.Response.Headers.WWWAuthenticate = Challenge;
            await RefuseAsync(context, remote, StatusCodes.Status401Unauthorized, "HTTP Basic credentials of an admin user are required");
            return null;
        }

        // The same lockout as Verto and SIP logins: per account, and a failure rate per address.
        var (id, domain) = Split(login);
        var account = LoginThrottle.AccountKey(id, domain);
        switch (_throttle.Check(remote, account, Environment.TickCount64))
        {
            case LoginRefusal.AccountLocked:
                await RefuseAsync(context, remote, StatusCodes.Status429TooManyRequests, "too many failed logins to this account; try again later");
                return null;
            case LoginRefusal.AddressTooFast:
                await RefuseAsync(context, remote, StatusCodes.Status429TooManyRequests, "too many failed logins from this address; slow down");
                return null;
        }

        var user = Authenticate(id, domain, password);
        if (user is null)
        {
            _throttle.RecordFailure(remote, account, Environment.TickCount64);
            context.Response.Headers.WWWAuthenticate = Challenge;
            await RefuseAsync(context, remote, StatusCodes.Status401Unauthorized, "wrong user or password");
            return null;
        }

        _throttle.RecordSuccess(remote, account);

        if (!user.Admin)
        {
            await RefuseAsync(context, remote, StatusCodes.Status403Forbidden, $"{user.Uid} is not an admin (\"admin\": true in conf/directory.json)");
            return null;
        }

        return user;
    }

    /// <summary>RFC 7617: <c>Basic base64(user-id ":" password)</c>, UTF-8; the user id may carry <c>@domain</c>.</summary>
    public static bool TryReadBasic(string header, out string login, out string password)
    {
        login = string.Empty;
        password = string.Empty;
        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[scheme.Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        login = decoded[..colon];
        password = decoded[(colon + 1)..];
        return password.Length > 0;
    }

    /// <summary>A plain-text answer; 400s are the caller's mistakes and are not logged.</summary>
    public static async Task RefuseAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(reason + "\n");
    }

    private async Task RefuseAsync(HttpContext context, IPAddress remote, int status, string reason)
    {
        CdrLog.AdminRefused(_log, remote.ToString(), reason);
        await RefuseAsync(context, status, reason);
    }

    private (string Id, string Domain) Split(string login)
    {
        var at = login.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? (login, _directory.Domain) : (login[..at], login[(at + 1)..]);
    }

    private DirectoryUser? Authenticate(string id, string domain, string password)
    {
        var user = _directory.Find(id, domain);
        if (user is null)
        {
            return null;
        }

        var good = user.PasswordHash is not null
            ? PasswordHasher.Verify(password, user.PasswordHash)
            : PasswordHasher.PlainEquals(password, user.Password ?? string.Empty);
        return good ? user : null;
    }
}
