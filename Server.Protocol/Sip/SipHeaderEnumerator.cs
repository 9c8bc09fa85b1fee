namespace MediaServer.Protocol.Sip;

/// <summary>
/// Walks the header fields of a <see cref="SipMessageView"/> in order, one
/// <see cref="SipHeaderField"/> per field (a folded field is one field). Allocates nothing; usable
/// with foreach. Only ever built over a header block the view has already validated, but it
/// stays inside the span whatever it holds.
/// </summary>
public ref struct SipHeaderEnumerator
{
    private readonly ReadOnlySpan<byte> _block;
    private int _position;
    private SipHeaderField _current;

    /// <param name="block">Header lines, each ending in LF (CRLF or bare LF), without the empty line.</param>
    internal SipHeaderEnumerator(ReadOnlySpan<byte> block)
    {
        _block = block;
        _position = 0;
        _current = default;
    }

    public readonly SipHeaderField Current => _current;

    public readonly SipHeaderEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_position >= _block.Length)
        {
            return false;
        }

        _position = ReadField(_block, _position, out _current);
        return true;
    }

    /// <summary>
    /// Reads the field starting at <paramref name="start"/>: its first line and any continuation
    /// lines (those starting with SP or HTAB). Returns where the next field starts. The name runs
    /// to the colon, less any whitespace before it ("TO :", RFC 4475 wsinv).
    /// </summary>
    internal static int ReadField(ReadOnlySpan<byte> block, int start, out SipHeaderField field)
    {
        var end = NextLine(block, start);
        while (end < block.Length && block[end] is (byte)' ' or (byte)'\t')
        {
            end = NextLine(block, end);
        }

        var text = block[start..end];
        var colon = text.IndexOf((byte)':');
        if (colon < 0)
        {
            field = new SipHeaderField(SipGrammar.TrimWhitespace(text), default, false);
            return end;
        }

        var name = text[..colon].TrimEnd(" \t"u8);
        var value = SipGrammar.TrimWhitespace(text[(colon + 1)..]);
        field = new SipHeaderField(name, value, value.IndexOfAny((byte)'\r', (byte)'\n') >= 0);
        return end;
    }

    /// <summary>Index just past the LF ending the line at <paramref name="start"/>, or the block's end.</summary>
    private static int NextLine(ReadOnlySpan<byte> block, int start)
    {
        var lf = block[start..].IndexOf((byte)'\n');
        return lf < 0 ? block.Length : start + lf + 1;
    }
}
