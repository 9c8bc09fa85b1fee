using System.Globalization;
using System.Net;
using System.Text;
using MediaServer.Configuration;
using MediaServer.Observability;
using MediaServer.Records;
using MediaServer.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MediaServer.Hosting;

/// <summary>
/// <c>GET /admin/cdrs?format=json|csv&amp;from=ISO&amp;to=ISO&amp;limit=N</c>: the call detail
/// records for an administrator. HTTP Basic (RFC 7617) with a directory user that has
/// <c>"admin": true</c>, its password checked as a Verto login checks it, and the same per-address
/// lockout after repeated failures. Answers 401 with a challenge without or with wrong
/// credentials, 403 for a user who is not an admin or over plain HTTP, 429 while the address is
/// locked out, 400 for a bad parameter. <c>from</c> (inclusive) and <c>to</c> (exclusive) bound the
/// start time; records come oldest first, at most <c>limit</c> (default 1000, at most 100000).
/// </summary>
internal sealed class CdrExportEndpoint
{
    public const string Path = "/admin/cdrs";
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 100_000;
    private const string Challenge = "Basic realm=\"MediaServer admin\", charset=\"UTF-8\"";

    private readonly UserDirectory _directory;
    private readonly LoginThrottle _throttle;
    private readonly CdrWriter _records;
    private readonly ILogger _log;

    public CdrExportEndpoint(UserDirectory directory, LoginThrottle throttle, CdrWriter records, ILogger log)
    {
        _directory = directory;
        _throttle = throttle;
        _records = records;
        _log = log;
    }

    public async Task HandleAsync(HttpContext context)
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
            return;
        }

        if (!TryReadBasic(context.Request.Headers.Authorization.ToString(), out var login, out var password))
        {
            context.Response.Headers.WWWAuthenticate = Challenge;
            await RefuseAsync(context, remote, StatusCodes.Status401Unauthorized, "HTTP Basic credentials of an admin user are required");
            return;
        }

        var (id, domain) = Split(login);
        var account = LoginThrottle.AccountKey(id, domain);
        switch (_throttle.Check(remote, account, Environment.TickCount64))
        {
            case LoginRefusal.AccountLocked:
                await RefuseAsync(context, remote, StatusCodes.Status429TooManyRequests, "too many failed logins to this account; try again later");
                return;
            case LoginRefusal.AddressTooFast:
                await RefuseAsync(context, remote, StatusCodes.Status429TooManyRequests, "too many failed logins from this address; slow down");
                return;
        }

        var user = Authenticate(id, domain, password);
        if (user is null)
        {
            _throttle.RecordFailure(remote, account, Environment.TickCount64);
            context.Response.Headers.WWWAuthenticate = Challenge;
            await RefuseAsync(context, remote, StatusCodes.Status401Unauthorized, "wrong user or password");
            return;
        }

        _throttle.RecordSuccess(remote, account);
        if (!user.Admin)
        {
            await RefuseAsync(context, remote, StatusCodes.Status403Forbidden, $"{user.Uid} is not an admin (\"admin\": true in conf/directory.json)");
            return;
        }

        var query = context.Request.Query;
        var format = query["format"].ToString();
        if (format.Length == 0)
        {
            format = "json";
        }

        if (format is not ("json" or "csv"))
        {
            await RefuseAsync(context, remote, StatusCodes.Status400BadRequest, "format must be json or csv");
            return;
        }

        if (!TryParseTime(query["from"].ToString(), out var from) || !TryParseTime(query["to"].ToString(), out var to))
        {
            await RefuseAsync(context, remote, StatusCodes.Status400BadRequest, "from and to must be ISO 8601 times (2025-01-31T12:00:00Z; without an offset they are UTC)");
            return;
        }

        var limitText = query["limit"].ToString();
        var limit = DefaultLimit;
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            await RefuseAsync(context, remote, StatusCodes.Status400BadRequest, $"limit must be a whole number from 1 to {MaxLimit}");
            return;
        }

        var records = _records.Store.Query(from, to, limit);
        CdrLog.Exported(_log, user.Uid, records.Count, format);
        if (format == "csv")
        {
            context.Response.ContentType = "text/csv; charset=utf-8; header=present";
            context.Response.Headers.ContentDisposition = "attachment; filename=\"cdrs.csv\"";
            await context.Response.WriteAsync(CdrExport.ToCsv(records), Encoding.UTF8);
        }
        else
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(CdrExport.ToJson(records));
        }
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

    /// <summary><c>user@domain</c>; a bare user takes the directory's domain.</summary>
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

    /// <summary>Empty means no bound; a time without an offset is taken as UTC.</summary>
    private static bool TryParseTime(string text, out DateTimeOffset? time)
    {
        time = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }

    private async Task RefuseAsync(HttpContext context, IPAddress remote, int status, string reason)
    {
        if (status != StatusCodes.Status400BadRequest)
        {
            CdrLog.AdminRefused(_log, remote.ToString(), reason);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(reason + "\n");
    }
}
