namespace MediaServer.Events;

/// <summary>
/// The subscriptions to one channel (or family) name. Publishing holds <see cref="Gate"/>
/// so that every subscriber sees events of this name in one order; the array is replaced
/// on change, so a publish never sees it half-updated.
/// </summary>
internal sealed class ChannelSubscribers
{
    private Subscription[] _items = [];

    public object Gate { get; } = new();

    /// <summary>Set when the list became empty and left the bus; a late subscriber must make a new one.</summary>
    public bool Retired { get; private set; }

    public Subscription[] Items => Volatile.Read(ref _items);

    /// <summary>Adds under the gate; false when this list was retired meanwhile.</summary>
    public bool TryAdd(Subscription subscription)
    {
        lock (Gate)
        {
            if (Retired)
            {
                return false;
            }

            Volatile.Write(ref _items, [.. _items, subscription]);
            return true;
        }
    }

    /// <summary>Removes under the gate; returns true when the list is now empty and retired.</summary>
    public bool Remove(Subscription subscription)
    {
        lock (Gate)
        {
            var index = Array.IndexOf(_items, subscription);
            if (index >= 0)
            {
                var copy = new Subscription[_items.Length - 1];
                Array.Copy(_items, 0, copy, 0, index);
                Array.Copy(_items, index + 1, copy, index, _items.Length - index - 1);
                Volatile.Write(ref _items, copy);
            }

            if (_items.Length == 0)
            {
                Retired = true;
            }

            return Retired;
        }
    }
}
