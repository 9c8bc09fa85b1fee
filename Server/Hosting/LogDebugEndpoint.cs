using System.Globalization;
using System.Text.Json.Nodes;
using MediaServer.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MediaServer.Hosting;

/// <summary>
/// <c>POST /admin/debug?call=ID|room=NAME|user=UID&amp;level=Debug|Trace|Information&amp;minutes=M</c>
/// (or <c>seconds=S</c>): raises the log level of one call, room or user for a while (default
/// 10 minutes, at most 24 hours) without raising anyone else's; level Information (or higher)
/// ends it early. <c>GET /admin/debug</c> lists what is raised. Authenticated by
/// <see cref="AdminGate"/>; 400 for a bad parameter. Both answer the list as JSON.
/// </summary>
internal sealed class LogDebugEndpoint
{
    public const string Path = "/admin/debug";
    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    private readonly AdminGate _gate;
    private readonly LogDebugSwitch _debug;
    private readonly ILogger _log;

    public LogDebugEndpoint(AdminGate gate, LogDebugSwitch debug, ILogger log)
    {
        _gate = gate;
        _debug = debug;
        _log = log;
    }

    public async Task ListAsync(HttpContext context)
    {
        if (await _gate.AuthorizeAsync(context) is not null)
        {
            await WriteListAsync(context);
        }
    }

    public async Task RaiseAsync(HttpContext context)
    {
        var user = await _gate.AuthorizeAsync(context);
        if (user is null)
        {
            return;
        }

        var query = context.Request.Query;
        var targets = new (DebugTargetKind Kind, string Value)[]
        {
            (DebugTargetKind.Call, query["call"].ToString()),
            (DebugTargetKind.Room, query["room"].ToString()),
            (DebugTargetKind.User, query["user"].ToString()),
        }.Where(t => t.Value.Length > 0).ToList();
        if (targets.Count != 1)
        {
            await AdminGate.RefuseAsync(context, StatusCodes.Status400BadRequest, "give exactly one of call=ID, room=NAME or user=UID");
            return;
        }

        var levelText = query["level"].ToString();
        var level = LogLevel.Debug;
        if (levelText.Length > 0 && !(Enum.TryParse(levelText, ignoreCase: true, out level) && Enum.IsDefined(level) && level != LogLevel.None))
        {
            await AdminGate.RefuseAsync(context, StatusCodes.Status400BadRequest, "level must be Trace, Debug or Information (Information ends the raise)");
            return;
        }

        if (!TryReadDuration(query["minutes"].ToString(), query["seconds"].ToString(), out var duration))
        {
            await AdminGate.RefuseAsync(context, StatusCodes.Status400BadRequest, "give minutes=M or seconds=S (not both), more than 0 and at most 24 hours");
            return;
        }

        var (kind, value) = targets[0];
        _debug.Raise(kind, value, level, duration);
        ObservabilityLog.DebugRaised(_log, user.Uid, kind.ToString().ToLowerInvariant(), value, level.ToString(), (int)duration.TotalSeconds);
        await WriteListAsync(context);
    }

    private static bool TryReadDuration(string minutes, string seconds, out TimeSpan duration)
    {
        duration = TimeSpan.FromMinutes(10);
        if (minutes.Length > 0 && seconds.Length > 0)
        {
            return false;
        }

        var text = minutes.Length > 0 ? minutes : seconds;
        if (text.Length == 0)
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        duration = minutes.Length > 0 ? TimeSpan.FromMinutes(amount) : TimeSpan.FromSeconds(amount);
        return duration <= MaxDuration;
    }

    private async Task WriteListAsync(HttpContext context)
    {
        var list = new JsonArray();
        foreach (var (target, remainingMs) in _debug.Active())
        {
            list.Add(new JsonObject
            {
                [target.Kind.ToString().ToLowerInvariant()] = target.Value,
                ["level"] = target.Level.ToString(),
                ["secondsLeft"] = Math.Round(remainingMs / 1000.0, 1),
            });
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["debug"] = list }.ToJsonString());
    }
}
