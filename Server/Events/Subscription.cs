using MediaServer.Protocol.Verto;
using MediaServer.Signalling;

namespace MediaServer.Events;

/// <summary>
/// One connection's subscription to one channel or family name. Owned by the
/// <see cref="ChannelSubscribers"/> of that name; its serno only moves under that list's
/// publish gate, so every delivery of one subscription is numbered in order.
/// </summary>
internal sealed class Subscription
{
    public Subscription(VertoConnection connection, string name)
    {
        Connection = connection;
        Name = name;
        NameJson = LiveArrayPacket.JsonString(name);
    }

    public VertoConnection Connection { get; }

    public string Name { get; }

    /// <summary>The name as a JSON string, written once for every delivery's <c>subscribedChannel</c>.</summary>
    public byte[] NameJson { get; }

    /// <summary>The next <c>eventSerno</c>: per subscriber and per subscription, from 0 (§7.3).</summary>
    public long NextSerno { get; set; }
}
