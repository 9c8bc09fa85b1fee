using System.Globalization;

namespace MediaServer.Protocol.Sip;

/// <summary>CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16); the number is below 2^31 (§8.1.1.5).</summary>
public readonly record struct SipCSeq(uint Number, string Method)
{
    public static bool TryParse(string? text, out SipCSeq value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        var span = SipGrammar.TrimWhitespace(text.AsSpan());
        var digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            digits++;
        }

        var rest = span[digits..];
        var method = SipGrammar.TrimWhitespace(rest);
        if (digits == 0 || method.Length == rest.Length || !SipGrammar.IsToken(method)
            || !SipGrammar.TryParseDigits(span[..digits], int.MaxValue, out var number))
        {
            return false;
        }

        value = new SipCSeq((uint)number, method.ToString());
        return true;
    }

    public override string ToString() => string.Concat(Number.ToString(CultureInfo.InvariantCulture), " ", Method);
}
