using Microsoft.Extensions.Logging;

namespace MediaServer.Observability;

/// <summary>
/// The runtime set of calls, rooms and users whose lines are logged below the server's level
/// (Debug or Trace) until a deadline: <c>POST /admin/debug</c> raises one, and
/// <see cref="DebugLevelLoggerProvider"/> asks here for the current scope. The set is an
/// immutable array replaced on change, so the common case (nothing raised) costs one read.
/// </summary>
internal sealed class LogDebugSwitch
{
    private readonly object _gate = new();
    private readonly Func<long> _nowMs;
    private volatile DebugTarget[] _targets = [];

    public LogDebugSwitch(Func<long>? nowMs = null)
    {
        _nowMs = nowMs ?? (() => Environment.TickCount64);
    }

    /// <summary>True while anything may be raised (expired entries are dropped on the next look).</summary>
    public bool Any => _targets.Length > 0;

    /// <summary>Raises (or replaces) one target's level until now + <paramref name="duration"/>; Information or above removes it.</summary>
    public void Raise(DebugTargetKind kind, string value, LogLevel level, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        lock (_gate)
        {
            var now = _nowMs();
            var kept = _targets.Where(t => t.ExpiresMs > now && !(t.Kind == kind && t.Value == value));
            if (level < LogLevel.Information)
            {
                kept = kept.Append(new DebugTarget(kind, value, level, now + (long)duration.TotalMilliseconds));
            }

            _targets = kept.ToArray();
        }
    }

    /// <summary>The targets still raised, with the milliseconds each has left.</summary>
    public IReadOnlyList<(DebugTarget Target, long RemainingMs)> Active()
    {
        var now = _nowMs();
        return _targets.Where(t => t.ExpiresMs > now).Select(t => (t, t.ExpiresMs - now)).ToList();
    }

    /// <summary>
    /// The lowest level raised for this call, its room or its user, or <see cref="LogLevel.None"/>
    /// when none is. Expired targets are removed here, so the set empties by itself.
    /// </summary>
    public LogLevel LevelFor(CallLogScope scope)
    {
        var targets = _targets;
        if (targets.Length == 0)
        {
            return LogLevel.None;
        }

        var now = _nowMs();
        var level = LogLevel.None;
        var expired = false;
        var room = scope.Room;
        foreach (var target in targets)
        {
            if (target.ExpiresMs <= now)
            {
                expired = true;
                continue;
            }

            var matches = target.Kind switch
            {
                DebugTargetKind.Call => target.Value == scope.CallId,
                DebugTargetKind.Room => target.Value == room,
                _ => IsUser(target.Value, scope.User),
            };
            if (matches && target.Level < level)
            {
                level = target.Level;
            }
        }

        if (expired)
        {
            Prune(now);
        }

        return level;
    }

    /// <summary>
    /// For lines logged outside the call's scope (media events on the receive thread): whether a
    /// line at <paramref name="level"/> about this call would be written, so the scope is opened
    /// only then.
    /// </summary>
    public bool Wants(ILogger logger, CallLogScope scope, LogLevel level) =>
        logger.IsEnabled(level) || (Any && LevelFor(scope) <= level);

    /// <summary>"1000" names 1000@ any domain; "1000@example.com" only that one.</summary>
    private static bool IsUser(string target, string? user) =>
        user is not null && (user == target || (user.Length > target.Length && user[target.Length] == '@' && user.StartsWith(target, StringComparison.Ordinal)));

    private void Prune(long now)
    {
        lock (_gate)
        {
            _targets = _targets.Where(t => t.ExpiresMs > now).ToArray();
        }
    }
}
