namespace MediaServer.Protocol.Sip;

/// <summary>
/// One header field as it appears in the message: the name exactly as written (compact form
/// and case kept) and the value with leading and trailing whitespace removed. Both borrow the
/// parsed buffer, like the <see cref="SipMessageView"/> they come from.
/// <para>
/// Folding: a value continued on further lines (obsolete line folding, RFC 3261 §7.3.1, still
/// seen: RFC 4475 wsinv) cannot be unfolded without copying, so <see cref="Value"/> then spans
/// every line, line breaks included, and <see cref="IsFolded"/> is true. Each line break and the
/// whitespace around it stand for a single SP; <see cref="CopyUnfolded"/> writes the value that
/// way, and <see cref="SipMessage"/> stores it so.
/// </para>
/// </summary>
public readonly ref struct SipHeaderField
{
    public SipHeaderField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool isFolded)
    {
        Name = name;
        Value = value;
        IsFolded = isFolded;
    }

    public ReadOnlySpan<byte> Name { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The value runs over more than one line; <see cref="Value"/> holds the line breaks.</summary>
    public bool IsFolded { get; }

    /// <summary>Whether this field is <paramref name="name"/> (full or compact form, any case).</summary>
    public bool Is(ReadOnlySpan<byte> name) => SipHeaderNames.SameHeader(Name, name);

    /// <summary>
    /// Writes the value with each folded line break (and the whitespace around it) replaced by
    /// one SP. The result is never longer than <see cref="Value"/>, so a destination of that
    /// length always suffices; returns the number of bytes written, or -1 if it does not fit.
    /// </summary>
    public int CopyUnfolded(Span<byte> destination) => Unfold(Value, destination);

    internal static int Unfold(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        var written = 0;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b is (byte)'\r' or (byte)'\n')
            {
                // Drop the whitespace before the break, the break, and the indentation after it.
                while (written > 0 && destination[written - 1] is (byte)' ' or (byte)'\t')
                {
                    written--;
                }

                while (i < value.Length && SipGrammar.IsWhitespace(value[i]))
                {
                    i++;
                }

                b = (byte)' ';
            }
            else
            {
                i++;
            }

            if (written >= destination.Length)
            {
                return -1;
            }

            destination[written++] = b;
        }

        return written;
    }
}
