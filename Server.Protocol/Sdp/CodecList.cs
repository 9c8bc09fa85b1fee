namespace MediaServer.Protocol.Sdp;

/// <summary>
/// The server's configured codecs in preference order, e.g. "opus,pcmu,pcma,vp8" (names are
/// case-insensitive). Known: opus (48000/2), pcmu (8000), pcma (8000), vp8 (90000).
/// RFC 4733 telephone-event is always allowed in addition, at 8000 and 48000 Hz. Immutable.
/// </summary>
public sealed class CodecList
{
    private readonly KnownCodec[] _codecs;

    private CodecList(KnownCodec[] codecs)
    {
        _codecs = codecs;
        Names = [.. codecs.Select(c => c.Name)];
    }

    /// <summary>Every known codec: "opus,pcmu,pcma,vp8".</summary>
    public static CodecList Default { get; } = new([.. KnownCodec.All]);

    /// <summary>Lowercase names in preference order.</summary>
    public IReadOnlyList<string> Names { get; }

    internal IReadOnlyList<KnownCodec> Codecs => _codecs;

    /// <summary>Parses a comma-separated list; an unknown, empty or repeated name is an error that names it.</summary>
    public static bool TryParse(string text, out CodecList? list, out string? error)
    {
        list = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the codec list is empty";
            return false;
        }

        var codecs = new List<KnownCodec>();
        var position = 0;
        foreach (var part in text.Split(','))
        {
            position++;
            var name = part.Trim();
            if (name.Length == 0)
            {
                error = $"codec {position} of '{text}' is empty";
                return false;
            }

            var codec = KnownCodec.Find(name);
            if (codec is null)
            {
                error = $"unknown codec '{name}' (known: {string.Join(", ", KnownCodec.All.Select(c => c.Name))})";
                return false;
            }

            if (codecs.Contains(codec))
            {
                error = $"codec '{name}' is listed twice";
                return false;
            }

            codecs.Add(codec);
        }

        list = new CodecList([.. codecs]);
        error = null;
        return true;
    }

    /// <summary>True for a listed codec name and for "telephone-event".</summary>
    public bool Allows(string name)
    {
        if (name is null)
        {
            return false;
        }

        if (name.Equals("telephone-event", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var codec in _codecs)
        {
            if (codec.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => string.Join(',', Names);
}
