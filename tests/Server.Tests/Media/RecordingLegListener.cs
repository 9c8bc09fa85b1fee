using System.Collections.Concurrent;
using MediaServer.Media;

namespace MediaServer.Tests.Media;

/// <summary>Stands in for the call that owns a media leg: records what the leg reports, allocation-free on the packet path.</summary>
internal sealed class RecordingLegListener : IMediaLegListener
{
    private int _ready;
    private long _digitCount;

    public int Ready => Volatile.Read(ref _ready);

    public long DigitCount => Interlocked.Read(ref _digitCount);

    /// <summary>Every digit reported, unless <see cref="CountDigitsOnly"/> (allocation tests).</summary>
    public ConcurrentQueue<char> Digits { get; } = new();

    public ConcurrentQueue<(TransportFailure Failure, string Reason)> Failures { get; } = new();

    public bool CountDigitsOnly { get; set; }

    public void OnMediaReady(MediaLeg leg) => Interlocked.Increment(ref _ready);

    public void OnMediaFailed(MediaLeg leg, TransportFailure failure, string reason) => Failures.Enqueue((failure, reason));

    public void OnTelephoneEvent(MediaLeg leg, char digit)
    {
        Interlocked.Increment(ref _digitCount);
        if (!CountDigitsOnly)
        {
            Digits.Enqueue(digit);
        }
    }
}
