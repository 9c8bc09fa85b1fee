namespace MediaServer.Bench.Load;

/// <summary>What the audio scenario's members call (<c>--target</c>).</summary>
internal enum AudioTarget
{
    /// <summary>Our server, over Verto (<see cref="ConferenceCaller"/>).</summary>
    MediaServer,

    /// <summary>Janus's AudioBridge plugin over its HTTP REST API (<see cref="JanusAudioBridgeCaller"/>).</summary>
    Janus,
}
