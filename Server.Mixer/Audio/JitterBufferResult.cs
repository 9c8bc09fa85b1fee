namespace MediaServer.Mixer.Audio;

/// <summary>What <see cref="JitterBuffer.Pop"/> hands the mixer for the next packet duration.</summary>
public enum JitterBufferResult
{
    /// <summary>Nothing to play and nothing lost: still buffering, or the sender paused (DTX, hold). Play silence.</summary>
    Empty,

    /// <summary>The next packet, in sequence order: decode it.</summary>
    Packet,

    /// <summary>The next packet is not here at its playout time (lost, late, or the buffer is stretching): conceal one packet duration.</summary>
    Missing,
}
