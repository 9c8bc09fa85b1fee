using System.Globalization;
using System.Text;
using MediaServer.Observability;
using MediaServer.Records;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MediaServer.Hosting;

/// <summary>
/// <c>GET /admin/cdrs?format=json|csv&amp;from=ISO&amp;to=ISO&amp;limit=N</c>: the call detail
/// records for an administrator. HTTP Basic (RFC 7617) with a directory user that has
/// <c>"admin": true</c>, checked by <see cref="AdminGate"/> (401, 403, 429); 400 for a bad
/// parameter. <c>from</c> (inclusive) and <c>to</c> (exclusive) bound the start time; records come oldest first, at most <c>limit</c> (default 1000, at most 100000).
/// </summary>
internal sealed class CdrExportEndpoint
{
    public const string Path = "/admin/cdrs";
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 100_000;

    private readonly AdminGate _gate;
    private readonly CdrWriter _records;
    private readonly ILogger _log;

    public CdrExportEndpoint(AdminGate gate, CdrWriter records, ILogger log)
    {
        _gate = gate;
        _records = records;
        _log = log;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var user = await _gate.AuthorizeAsync(context);
        if (user is null)
        {
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
            await AdminGate.RefuseAsync(context, StatusCodes.Status400BadRequest, "format must be json or csv");
            return;
        }

        if (!TryParseTime(query["from"].ToString(), out var from) || !TryParseTime(query["to"].ToString(), out var to))
        {
            await AdminGate.RefuseAsync(context, StatusCodes.Status400BadRequest, "from and to must be ISO 8601 times (2025-01-31T12:00:00Z; without an offset they are UTC)");
            return;
        }

        var limitText = query["limit"].ToString();
        var limit = DefaultLimit;
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            await AdminGate.RefuseAsync(context, StatusCodes.Status400BadRequest, $"limit must be a whole number from 1 to {MaxLimit}");
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
}
