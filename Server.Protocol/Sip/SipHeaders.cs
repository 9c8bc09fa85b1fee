using System.Collections;

namespace MediaServer.Protocol.Sip;

/// <summary>
/// The header fields of a <see cref="SipMessage"/>, in order, one entry per field line. Names are
/// stored in canonical full form ("v" and "via" become "Via", "call-id" becomes "Call-ID"); unknown
/// names as written. Lookups take any form and case. Values are single-line (folded values were
/// unfolded by the parser) and are never split at commas here: the typed accessors of
/// <see cref="SipMessage"/> do that. Not thread-safe: one message belongs to one transaction.
/// </summary>
public sealed class SipHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public int Count => _fields.Count;

    /// <summary>Bumped on every change so <see cref="SipMessage"/> can keep parsed typed values until then.</summary>
    internal int Version { get; private set; }

    /// <summary>The first value of <paramref name="name"/> (full or compact, any case), or null.</summary>
    public string? Get(string name)
    {
        var canonical = SipHeaderNames.Normalize(name);
        foreach (var field in _fields)
        {
            if (string.Equals(field.Key, canonical, StringComparison.OrdinalIgnoreCase))
            {
                return field.Value;
            }
        }

        return null;
    }

    /// <summary>Every field line's value for <paramref name="name"/>, in order (not split at commas).</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        var canonical = SipHeaderNames.Normalize(name);
        List<string>? values = null;
        foreach (var field in _fields)
        {
            if (string.Equals(field.Key, canonical, StringComparison.OrdinalIgnoreCase))
            {
                (values ??= []).Add(field.Value);
            }
        }

        return values ?? (IReadOnlyList<string>)[];
    }

    public bool Contains(string name) => Get(name) is not null;

    /// <summary>Appends a field. The name must be a token and the value one line (no CR, LF or NUL), else ArgumentException.</summary>
    public void Add(string name, string value) => Insert(_fields.Count, name, value);

    /// <summary>Inserts a field at <paramref name="index"/> (0 puts a Via on top).</summary>
    public void Insert(int index, string name, string value)
    {
        Validate(name, value);
        _fields.Insert(index, new(SipHeaderNames.Normalize(name), value));
        Version++;
    }

    /// <summary>Replaces every field of that name with one carrying <paramref name="value"/>, where the first was; appends if there was none.</summary>
    public void Set(string name, string value)
    {
        Validate(name, value);
        var canonical = SipHeaderNames.Normalize(name);
        var first = _fields.FindIndex(field => string.Equals(field.Key, canonical, StringComparison.OrdinalIgnoreCase));
        if (first < 0)
        {
            _fields.Add(new(canonical, value));
        }
        else
        {
            _fields[first] = new(canonical, value);
            for (var i = _fields.Count - 1; i > first; i--)
            {
                if (string.Equals(_fields[i].Key, canonical, StringComparison.OrdinalIgnoreCase))
                {
                    _fields.RemoveAt(i);
                }
            }
        }

        Version++;
    }

    /// <summary>Removes every field of that name; false when there was none.</summary>
    public bool Remove(string name)
    {
        var canonical = SipHeaderNames.Normalize(name);
        var removed = _fields.RemoveAll(field => string.Equals(field.Key, canonical, StringComparison.OrdinalIgnoreCase)) > 0;
        if (removed)
        {
            Version++;
        }

        return removed;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The parser's path: the name is already canonical or as written, the value checked by the view.</summary>
    internal void AddParsed(string name, string value) => _fields.Add(new(name, value));

    internal List<KeyValuePair<string, string>> Fields => _fields;

    private static void Validate(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!SipGrammar.IsToken(name.AsSpan()))
        {
            throw new ArgumentException($"'{name}' is not a header name (RFC 3261 token).", nameof(name));
        }

        // A CR or LF would let a value inject header lines.
        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException("A header value must be one line without CR, LF or NUL.", nameof(value));
        }
    }
}
