using System.Globalization;

namespace MediaServer.Configuration;

/// <summary>An inclusive range of UDP ports, written <c>A-B</c>.</summary>
public readonly record struct PortRange(int First, int Last)
{
    public static bool TryParse(string? text, out PortRange range)
    {
        range = default;
        var dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (text is null || dash <= 0
            || !int.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || first < 1024 || last > 65535 || first >= last)
        {
            return false;
        }

        range = new PortRange(first, last);
        return true;
    }

    public override string ToString() => $"{First}-{Last}";
}
