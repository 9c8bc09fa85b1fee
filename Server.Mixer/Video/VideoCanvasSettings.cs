namespace MediaServer.Mixer.Video;

/// <summary>What a conference canvas is made with: size, frame rate, encoder bitrate and effort, and the starting layout (a name or <c>group:name</c>).</summary>
public sealed record VideoCanvasSettings
{
    public int Width { get; init; } = 1280;

    public int Height { get; init; } = 720;

    public int Fps { get; init; } = 30;

    public int BitrateKbps { get; init; } = 1500;

    public int CpuUsed { get; init; } = 8;

    public string Layout { get; init; } = "group:grid";

    /// <summary>A source that sent no picture for this long shows the placeholder instead of its last frame.</summary>
    public int StallMs { get; init; } = 3000;
}
