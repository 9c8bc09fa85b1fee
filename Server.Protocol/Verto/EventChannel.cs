namespace MediaServer.Protocol.Verto;

/// <summary>
/// Event channel names (verto-protocol.md §7.1). Names are free-form, case-sensitive strings;
/// the part before the first '.' is the channel's family, and subscribing to a family
/// receives every event of <c>family.anything</c>.
/// </summary>
public static class EventChannel
{
    /// <summary>Longer names are refused: no real channel is near it and it bounds per-subscription memory.</summary>
    public const int MaxNameLength = 256;

    public const string ConferenceLiveArray = "conference-liveArray";
    public const string ConferenceMod = "conference-mod";
    public const string ConferenceChat = "conference-chat";
    public const string ConferenceInfo = "conference-info";
    public const string Conference = "conference";
    public const string Presence = "presence";
    public const string FsEvent = "FSevent";

    /// <summary>The family of a channel: the text before the first '.', or the whole name.</summary>
    public static ReadOnlySpan<char> Family(ReadOnlySpan<char> channel)
    {
        var dot = channel.IndexOf('.');
        return dot < 0 ? channel : channel[..dot];
    }

    /// <summary>True when the channel has a family part and something after it.</summary>
    public static bool HasFamily(ReadOnlySpan<char> channel)
    {
        var dot = channel.IndexOf('.');
        return dot > 0 && dot < channel.Length - 1;
    }

    /// <summary>
    /// Families the server itself publishes on (conference, presence, raw server events).
    /// A client never gets them by default: conference channels are granted on join.
    /// </summary>
    public static bool IsServerFamily(ReadOnlySpan<char> family) =>
        family.SequenceEqual(ConferenceLiveArray)
        || family.SequenceEqual(ConferenceMod)
        || family.SequenceEqual(ConferenceChat)
        || family.SequenceEqual(ConferenceInfo)
        || family.SequenceEqual(Conference)
        || family.SequenceEqual(Presence)
        || family.SequenceEqual(FsEvent);

    /// <summary>A well-formed name: not empty, not too long, no control characters.</summary>
    public static bool IsValidName(ReadOnlySpan<char> channel)
    {
        if (channel.IsEmpty || channel.Length > MaxNameLength)
        {
            return false;
        }

        foreach (var c in channel)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The domain a channel is scoped to: the text after its last '@', or empty when it
    /// names none (then it belongs to whatever domain the server serves).
    /// </summary>
    public static ReadOnlySpan<char> Domain(ReadOnlySpan<char> channel)
    {
        var at = channel.LastIndexOf('@');
        return at < 0 ? [] : channel[(at + 1)..];
    }
}
