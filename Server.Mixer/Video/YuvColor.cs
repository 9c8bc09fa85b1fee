using System.Globalization;

namespace MediaServer.Mixer.Video;

/// <summary>
/// A colour as the three I420 sample values (BT.601 limited range, what VP8 and the browsers
/// assume): black is 16/128/128. Config files give colours as "#rrggbb" like FreeSWITCH's
/// video-*-color settings; <see cref="TryParse"/> converts them.
/// </summary>
public readonly record struct YuvColor(byte Y, byte U, byte V)
{
    public static YuvColor Black => new(16, 128, 128);

    public static YuvColor White => new(235, 128, 128);

    /// <summary>A neutral grey at luma <paramref name="y"/> (16 = black, 235 = white).</summary>
    public static YuvColor Grey(byte y) => new(y, 128, 128);

    /// <summary>BT.601 limited-range conversion, the integer form libyuv and most encoders use.</summary>
    public static YuvColor FromRgb(byte r, byte g, byte b)
    {
        var y = (((66 * r) + (129 * g) + (25 * b) + 128) >> 8) + 16;
        var u = (((-38 * r) - (74 * g) + (112 * b) + 128) >> 8) + 128;
        var v = (((112 * r) - (94 * g) - (18 * b) + 128) >> 8) + 128;
        return new YuvColor((byte)Math.Clamp(y, 0, 255), (byte)Math.Clamp(u, 0, 255), (byte)Math.Clamp(v, 0, 255));
    }

    /// <summary>Reads "#rrggbb" (the leading '#' optional).</summary>
    public static bool TryParse(string? text, out YuvColor color)
    {
        color = Black;
        var hex = text.AsSpan().Trim();
        if (hex.StartsWith("#", StringComparison.Ordinal))
        {
            hex = hex[1..];
        }

        if (hex.Length != 6 || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgb))
        {
            return false;
        }

        color = FromRgb((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        return true;
    }
}
