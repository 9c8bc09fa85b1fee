namespace MediaServer.Mixer.Runtime;

/// <summary>Something a <see cref="MixerClock"/> thread runs every tick (an audio mixer; a video canvas later).</summary>
public interface IMixerTickable
{
    /// <summary>One tick's work, on the clock's thread. Must not block and should not allocate.</summary>
    void Tick(long nowMs);

    /// <summary>Called once on the clock's thread after the last tick, so native state is freed where it was used.</summary>
    void OnDetached();
}
