using System.Collections.Concurrent;
using MediaServer.Observability;
using MediaServer.Protocol.Verto;
using MediaServer.Signalling;

namespace MediaServer.Events;

/// <summary>
/// Event channels (verto-protocol.md §7): who is subscribed to which name, and delivery of
/// events to them. An event is serialized once by the publisher; each delivery adds its own
/// id, <c>eventSerno</c> and <c>subscribedChannel</c>. Thread-safe.
/// </summary>
internal sealed class EventBus
{
    private readonly ConcurrentDictionary<string, ChannelSubscribers> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ChannelSubscribers>.AlternateLookup<ReadOnlySpan<char>> _byFamily;
    private readonly ServerMetrics _metrics;
    private readonly Func<long> _nextRequestId;

    public EventBus(ServerMetrics metrics, Func<long> nextRequestId)
    {
        _metrics = metrics;
        _nextRequestId = nextRequestId;
        _byFamily = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Number of names with at least one subscriber.</summary>
    public int ChannelCount => _names.Count;

    public Subscription Subscribe(VertoConnection connection, string name)
    {
        var subscription = new Subscription(connection, name);
        while (true)
        {
            var list = _names.GetOrAdd(name, static _ => new ChannelSubscribers());
            if (list.TryAdd(subscription))
            {
                return subscription;
            }

            // The list emptied and left the bus between GetOrAdd and TryAdd: take a fresh one.
            _names.TryRemove(new KeyValuePair<string, ChannelSubscribers>(name, list));
        }
    }

    public void Unsubscribe(Subscription subscription)
    {
        if (_names.TryGetValue(subscription.Name, out var list) && list.Remove(subscription))
        {
            _names.TryRemove(new KeyValuePair<string, ChannelSubscribers>(subscription.Name, list));
        }
    }

    /// <summary>
    /// Fans an event out to the subscribers of exactly <paramref name="channel"/>, then, unless
    /// <paramref name="exactOnly"/>, to the subscribers of its family. <paramref name="eventObject"/>
    /// is the serialized event (it must carry <c>eventChannel</c>). Returns the copies queued.
    /// </summary>
    public int Publish(string channel, byte[] eventObject, bool exactOnly = false)
    {
        Interlocked.Increment(ref _metrics.EventsPublished);
        var delivered = 0;
        if (_names.TryGetValue(channel, out var exact))
        {
            delivered += Deliver(exact, eventObject);
        }

        if (!exactOnly && EventChannel.HasFamily(channel) && _byFamily.TryGetValue(EventChannel.Family(channel), out var family))
        {
            delivered += Deliver(family, eventObject);
        }

        Interlocked.Add(ref _metrics.EventDeliveries, delivered);
        return delivered;
    }

    /// <summary>True when the connection-independent name has subscribers (used by tests and metrics).</summary>
    public int SubscriberCount(string name) => _names.TryGetValue(name, out var list) ? list.Items.Length : 0;

    private int Deliver(ChannelSubscribers list, byte[] eventObject)
    {
        lock (list.Gate)
        {
            var items = list.Items;
            foreach (var subscription in items)
            {
                var message = VertoEventEnvelope.Subscribed(_nextRequestId(), eventObject, subscription.NextSerno++, subscription.NameJson);
                subscription.Connection.Send(message);
            }

            return items.Length;
        }
    }
}
