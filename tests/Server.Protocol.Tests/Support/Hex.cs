using System.Globalization;

namespace MediaServer.Protocol.Tests.Support;

/// <summary>
/// Test vectors written as the RFCs print them: hex digits in any grouping, one 32-bit word
/// per line, and a // comment naming the field on each line.
/// </summary>
public static class Hex
{
    public static byte[] Parse(string text)
    {
        var bytes = new List<byte>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var comment = line.IndexOf("//", StringComparison.Ordinal);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            var digits = new string(line.Where(char.IsAsciiHexDigit).ToArray());
            if (digits.Length % 2 != 0)
            {
                throw new FormatException($"Odd number of hex digits in '{rawLine}'.");
            }

            for (var i = 0; i < digits.Length; i += 2)
            {
                bytes.Add(byte.Parse(digits.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        return [.. bytes];
    }

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
