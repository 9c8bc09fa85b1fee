namespace MediaServer.Signalling;

/// <summary>
/// Which live connection holds each sessid (verto-protocol.md §1.5). A sessid is bound on
/// the first authenticated request; a newer connection of the same user takes it over and
/// the older one is punted; another user's connection is refused. Thread-safe.
/// </summary>
internal sealed class SessionRegistry
{
    private readonly Dictionary<string, VertoConnection> _bySessid = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _bySessid.Count;
            }
        }
    }

    /// <summary>
    /// Binds <paramref name="sessid"/> to <paramref name="connection"/> for <paramref name="uid"/>.
    /// Returns false when a live connection of another user holds it. <paramref name="displaced"/>
    /// is the older connection of the same user that must be punted, if any.
    /// </summary>
    public bool TryBind(string sessid, VertoConnection connection, string uid, out VertoConnection? displaced)
    {
        displaced = null;
        lock (_gate)
        {
            if (_bySessid.TryGetValue(sessid, out var current) && current != connection)
            {
                if (current.User?.Uid != uid)
                {
                    return false;
                }

                displaced = current;
            }

            _bySessid[sessid] = connection;
            return true;
        }
    }

    /// <summary>Removes the binding if this connection still holds it (a punted one no longer does).</summary>
    public void Unbind(string sessid, VertoConnection connection)
    {
        lock (_gate)
        {
            if (_bySessid.TryGetValue(sessid, out var current) && current == connection)
            {
                _bySessid.Remove(sessid);
            }
        }
    }

    /// <summary>Every live connection authenticated as this user (one per sessid: tabs, devices).</summary>
    public List<VertoConnection> ConnectionsOf(string uid)
    {
        lock (_gate)
        {
            return _bySessid.Values.Where(c => c.User?.Uid == uid).ToList();
        }
    }

    public VertoConnection? Find(string sessid)
    {
        lock (_gate)
        {
            return _bySessid.GetValueOrDefault(sessid);
        }
    }
}
