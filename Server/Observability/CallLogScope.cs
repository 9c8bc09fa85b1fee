using System.Collections;
using MediaServer.Calls;

namespace MediaServer.Observability;

/// <summary>
/// The logging scope of one call: opened (<c>logger.BeginScope(call.LogScope)</c>) where a call's
/// work runs, so every line logged inside carries <c>callId</c>, <c>user</c>, <c>protocol</c> and,
/// while the call is in a room, <c>room</c> and <c>memberId</c>. The JSON console format writes
/// these in the line's "Scopes"; <see cref="DebugLevelLoggerProvider"/> reads them to let one
/// call's Debug lines through. One instance per call, read live from the call, so opening the
/// scope allocates no state of its own and a room joined later shows up at once.
/// </summary>
internal sealed class CallLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string CallIdField = "callId";
    public const string RoomField = "room";
    public const string MemberIdField = "memberId";
    public const string UserField = "user";
    public const string ProtocolField = "protocol";

    private readonly Call? _call;
    private readonly string _callId;
    private readonly string? _user;

    public CallLogScope(Call call)
    {
        _call = call;
        _callId = call.CallId;
        _user = call.User.Uid;
    }

    /// <summary>For a request about a call that does not exist (yet): the id and the requesting user only.</summary>
    public CallLogScope(string callId, string? user)
    {
        _callId = callId;
        _user = user;
    }

    public string CallId => _callId;

    public string? User => _user;

    public string Protocol => _call?.Sip is null ? "verto" : "sip";

    public string? Room => _call?.Member?.Conference.Name;

    public int? MemberId => _call?.Member?.Id;

    public int Count => Room is null ? 3 : 5;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(CallIdField, _callId),
        1 => new(UserField, _user),
        2 => new(ProtocolField, Protocol),
        3 when Room is { } room => new(RoomField, room),
        4 when MemberId is { } member => new(MemberIdField, member),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        // A snapshot: the call may leave its room while a line is being written.
        var room = Room;
        var member = MemberId;
        yield return new(CallIdField, _callId);
        yield return new(UserField, _user);
        yield return new(ProtocolField, Protocol);
        if (room is not null && member is not null)
        {
            yield return new(RoomField, room);
            yield return new(MemberIdField, member.Value);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>What the text format shows for the scope.</summary>
    public override string ToString() => Room is { } room ? $"call {_callId} room {room} member {MemberId}" : $"call {_callId}";
}
