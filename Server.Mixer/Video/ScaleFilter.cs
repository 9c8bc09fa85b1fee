namespace MediaServer.Mixer.Video;

/// <summary>
/// How a picture is resampled when it is scaled into a tile; the values are libyuv's
/// FilterMode. Bilinear is the usual trade-off; Box averages every source pixel, which looks
/// better when shrinking by more than half (big grids) and costs a little more.
/// </summary>
public enum ScaleFilter
{
    /// <summary>Nearest pixel: fastest, visibly blocky.</summary>
    None = 0,

    /// <summary>Filters horizontally only.</summary>
    Linear = 1,

    Bilinear = 2,

    Box = 3,
}
